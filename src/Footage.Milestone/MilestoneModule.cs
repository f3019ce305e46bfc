using Footage.Core.Storage;
using Footage.Ffmpeg;
using Footage.Milestone.Configuration;
using Footage.Milestone.Health;
using Footage.Milestone.Identity;
using Footage.Milestone.ImageServer;
using Footage.Milestone.Recordings;
using Footage.Milestone.Soap;
using Footage.Milestone.Storage;
using Footage.Milestone.Sync;
using Footage.ServiceDefaults.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Footage.Milestone;

/// <summary>
/// Milestone XProtect as a source of footage (storage modes MILESTONE and BOTH), through the interfaces Milestone
/// documents for non-Windows clients: its identity provider, ServerCommandService, RecorderCommandService and ImageServer.
/// Wired only when <c>Footage:Milestone:ServerUrl</c> is set.
/// </summary>
public static class MilestoneModule
{
    public const string HttpClientName = "milestone";

    public static bool IsConfigured(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[$"{MilestoneOptions.Section}:{nameof(MilestoneOptions.ServerUrl)}"]);

    /// <summary>The adapter and the read-only <c>milestone</c> storage backend (any process that reads footage).</summary>
    public static IServiceCollection AddMilestoneBackend(this IServiceCollection services)
    {
        services.AddOptions<MilestoneOptions>().BindConfiguration(MilestoneOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddHttpClient(HttpClientName, (sp, http) => http.Timeout = sp.GetRequiredService<IOptions<MilestoneOptions>>().Value.RequestTimeout)
#pragma warning disable CA5359 // an explicit opt-in setting: XProtect servers ship with self-signed certificates
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                SslOptions = sp.GetRequiredService<IOptions<MilestoneOptions>>().Value.AcceptAnyCertificate
                    ? new System.Net.Security.SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, _, _, _) => true }
                    : new System.Net.Security.SslClientAuthenticationOptions(),
            })
#pragma warning restore CA5359
            .RemoveAllLoggers(); // the default handler logs request URLs; keep Milestone traffic out of the logs
        services.TryAddSingleton(sp => new SoapClient(sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName)));
        services.TryAddSingleton(sp => new IdentityProviderClient(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName), sp.GetRequiredService<IOptions<MilestoneOptions>>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<ServerCommandClient>();
        services.TryAddSingleton<RecorderCommandClient>();
        services.TryAddSingleton<MilestoneSession>();
        services.TryAddSingleton<RecordedFrameReader>();
        services.AddOptions<FfmpegOptions>().BindConfiguration(FfmpegOptions.Section);
        services.TryAddSingleton<FfmpegRunner>();
        services.TryAddSingleton<Transmux.FrameTransmuxer>();
        services.TryAddSingleton<MilestoneBackend>();
        services.AddSingleton<IStorageBackend>(sp => sp.GetRequiredService<MilestoneBackend>());
        services.AddHealthChecks().AddCheck<MilestoneHealthCheck>("milestone");
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IExceptionProblems, MilestoneProblems>());
        return services;
    }

    /// <summary>The backend plus the catalog synchronisation and its API (the process that runs the Storage module).</summary>
    public static WebApplicationBuilder AddMilestone(this WebApplicationBuilder builder)
    {
        builder.Services.AddMilestoneBackend();
        builder.Services.TryAddSingleton<MilestoneSync>();
        builder.Services.AddHostedService<MilestoneSyncService>();
        return builder;
    }

    public static IEndpointRouteBuilder MapMilestone(this IEndpointRouteBuilder endpoints) => endpoints.MapMilestoneApi();
}
