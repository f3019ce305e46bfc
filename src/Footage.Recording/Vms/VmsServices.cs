using Footage.Core.Cameras;
using Footage.Recording.Quota;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;

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

    /// <summary>Retries with back-off on 5xx, 408, 429 and network errors, a timeout per attempt and for the whole call, a circuit breaker (as the Storage client).</summary>
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

        var baseUrl = options.BaseUrl!.EndsWith('/') ? options.BaseUrl : options.BaseUrl + "/";
        var attempt = options.AttemptTimeout < options.Timeout ? options.AttemptTimeout : options.Timeout / 3;
        services.AddHttpClient(name, http =>
            {
                http.BaseAddress = new Uri(baseUrl);
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
    }
}
