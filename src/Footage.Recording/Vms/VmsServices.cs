using Footage.Core.Cameras;
using Footage.Recording.Quota;
using Footage.ServiceDefaults.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Footage.Recording.Vms;

/// <summary>Puts the VMS Service and Stream Counter in place of our own camera directory and quota when their base URLs are set.</summary>
public static class VmsServices
{
    public const string VmsSection = RecordingOptions.Section + ":Vms";
    public const string StreamCounterSection = RecordingOptions.Section + ":StreamCounter";

    public static void AddVmsServices(this IServiceCollection services, IConfiguration configuration)
    {
        var vms = configuration.GetSection(VmsSection).Get<VmsServiceOptions>();
        if (vms is { IsConfigured: true })
        {
            AddClient(services, VmsCameraDirectory.ClientName, vms);
            services.Replace(ServiceDescriptor.Singleton<ICameraDirectory>(sp =>
                new VmsCameraDirectory(sp.GetRequiredService<IHttpClientFactory>(), vms, sp.GetRequiredService<TimeProvider>())));
        }

        var counter = configuration.GetSection(StreamCounterSection).Get<VmsServiceOptions>();
        if (counter is { IsConfigured: true })
        {
            AddClient(services, StreamCounterQuota.ClientName, counter);
            services.Replace(ServiceDescriptor.Singleton<IStreamQuota>(sp =>
                new StreamCounterQuota(sp.GetRequiredService<IHttpClientFactory>(), counter, sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<StreamCounterQuota>>())));
        }
    }

    /// <summary>Checks the base URL, then retries, timeouts and a circuit breaker as every service client has (<see cref="ServiceClients.ConfigureServiceClient"/>).</summary>
    private static void AddClient(IServiceCollection services, string name, VmsServiceOptions options)
    {
        if (!Uri.TryCreate(options.BaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new InvalidOperationException($"The base URL of the VMS service '{name}' must be an http:// or https:// URL.");
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            // a URL is logged by the HTTP client; a key in a header is not
            throw new InvalidOperationException($"The base URL of the VMS service '{name}' must not carry a user or password: set its ApiKey instead.");
        }

        services.AddHttpClient(name).ConfigureServiceClient(options.BaseUrl!, options.ApiKey, options.Timeout, options.AttemptTimeout);
    }
}
