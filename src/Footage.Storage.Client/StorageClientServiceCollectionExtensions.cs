using Footage.Core.Segments;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Footage.ServiceDefaults.Http;

namespace Footage.Storage.Client;

public static class StorageClientServiceCollectionExtensions
{
    /// <summary>
    /// Makes <see cref="ISegmentCatalog"/> the Storage service's API at <paramref name="options"/>' base URL, with retries,
    /// timeouts and a circuit breaker (<see cref="ServiceClients.ConfigureServiceClient"/>).
    /// Replaces an in-process catalog registered before.
    /// </summary>
    public static IServiceCollection AddRemoteSegmentCatalog(this IServiceCollection services, StorageServiceOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(options.BaseUrl);
        services.AddHttpClient<HttpSegmentCatalog>().ConfigureServiceClient(options.BaseUrl, options.ApiKey, options.Timeout, options.AttemptTimeout);
        services.RemoveAll<ISegmentCatalog>();
        services.AddSingleton<ISegmentCatalog>(sp => sp.GetRequiredService<HttpSegmentCatalog>());
        return services;
    }
}
