using Footage.Core.Segments;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;

namespace Footage.Storage.Client;

public static class StorageClientServiceCollectionExtensions
{
    /// <summary>
    /// Makes <see cref="ISegmentCatalog"/> the Storage service's API at <paramref name="options"/>' base URL, with retries
    /// (exponential back-off on 5xx, 408, 429 and network errors), a timeout per attempt and for the whole call, and a circuit breaker.
    /// Replaces an in-process catalog registered before.
    /// </summary>
    public static IServiceCollection AddRemoteSegmentCatalog(this IServiceCollection services, StorageServiceOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(options.BaseUrl);
        var baseUrl = options.BaseUrl.EndsWith('/') ? options.BaseUrl : options.BaseUrl + "/";
        var attempt = options.AttemptTimeout < options.Timeout ? options.AttemptTimeout : options.Timeout / 3;
        services.AddHttpClient<HttpSegmentCatalog>(http =>
            {
                http.BaseAddress = new Uri(baseUrl);
                // the resilience pipeline owns the timeouts; this only stops a call the pipeline somehow lets run on
                http.Timeout = options.Timeout + TimeSpan.FromSeconds(5);
                if (!string.IsNullOrWhiteSpace(options.ApiKey))
                {
                    http.DefaultRequestHeaders.Add("X-Api-Key", options.ApiKey);
                }
            })
            .AddStandardResilienceHandler(resilience =>
            {
                resilience.TotalRequestTimeout.Timeout = options.Timeout;
                resilience.AttemptTimeout.Timeout = attempt;
                resilience.CircuitBreaker.SamplingDuration = attempt * 2;
            });
        services.RemoveAll<ISegmentCatalog>();
        services.AddSingleton<ISegmentCatalog>(sp => sp.GetRequiredService<HttpSegmentCatalog>());
        return services;
    }
}
