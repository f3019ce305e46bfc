using Footage.Core.Live;
using Footage.Core.Segments;
using Footage.Data.Migrations;
using Footage.Ffmpeg;
using Footage.Recording.Api;
using Footage.Recording.Cameras;
using Footage.Recording.Health;
using Footage.Recording.Leases;
using Footage.Recording.Live;
using Footage.Recording.Vms;
using Footage.Recording.Quota;
using Footage.Recording.Spool;
using Footage.Recording.Thumbnails;
using Footage.ServiceDefaults;
using Footage.Storage.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Footage.Recording;

/// <summary>The Recording module: one supervised ffmpeg per camera, the spool, upload and registration, thumbnails.</summary>
public static class RecordingModule
{
    /// <summary>Needs an <c>ICameraDirectory</c>, an <c>ISegmentCatalog</c> and the storage backends (the Storage module in-process gives all three).</summary>
    public static WebApplicationBuilder AddRecording(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<RecordingOptions>().BindConfiguration(RecordingOptions.Section).ValidateDataAnnotations()
            .Validate(
                o => !o.Enabled || o.Engine != Processes.RecordingEngine.Remuxer || File.Exists(Remuxer.RemuxerProgram.PathFor(o)),
                $"{RecordingOptions.Section}:Engine is remuxer but {Remuxer.RemuxerProgram.Name} was not found (RemuxerPath, or beside the server's assemblies: the build puts it there when libavformat-dev is installed, see eng/install-dependencies.sh)")
            .ValidateOnStart();
        services.AddOptions<FfmpegOptions>().BindConfiguration(FfmpegOptions.Section);
        services.TryAddSingleton<FfmpegRunner>();
        services.AddSingleton<IMigrationSource, RecordingMigrations>();
        services.AddSingleton<IMigrationSource, LeaseMigrations>();
        services.AddOptions<LeaseOptions>().BindConfiguration(LeaseOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<RecorderIdentity>();
        services.AddSingleton<CameraLeaseStore>();
        services.AddSingleton<CameraLeaseCoordinator>();
        services.AddSingleton<RecordingStateSignal>();
        // the Storage service runs elsewhere: segments are registered through its API (Footage:StorageService, or this module's older Catalog section)
        var catalog = builder.Configuration.GetSection($"{RecordingOptions.Section}:Catalog").Get<StorageServiceOptions>();
        if (catalog is { IsRemote: true })
        {
            services.AddRemoteSegmentCatalog(catalog);
        }

        services.AddSingleton(sp =>
        {
            var configured = sp.GetRequiredService<IOptions<RecordingOptions>>().Value.SpoolDirectory;
            var data = FootageOptions.ResolveDataDirectory(sp.GetRequiredService<IOptions<FootageOptions>>().Value.DataDirectory);
            return new SpoolFolder(string.IsNullOrWhiteSpace(configured) ? Path.Combine(data, "spool") : Path.GetFullPath(configured));
        });
        services.AddSingleton<StatusBoard>();
        services.AddSingleton<Fleet.CameraHealthStore>();
        services.AddSingleton<Fleet.CameraHealthPublisher>();
        services.AddSingleton<Fleet.FleetStatus>();
        services.AddSingleton<ClockJumpDetector>();
        services.AddSingleton<RecordedFootageEnds>();
        services.TryAddSingleton<IStreamQuota, SourceStreamQuota>();
        // the VMS Service and Stream Counter, when configured, stand in for our camera table and quota
        services.AddVmsServices(builder.Configuration);
        services.AddSingleton<RecordingStateRepository>();
        services.AddSingleton<SpoolScans>();
        services.AddSingleton<SegmentFinisher>();
        services.TryAddSingleton<Ffmpeg.KeyFrames.KeyFrameDecoder>();
        services.AddSingleton<ThumbnailMaker>();
        services.AddSingleton<GrowingThumbnails>();
        services.AddSingleton<Sources.CameraStreamProbe>();
        services.AddSingleton<SpoolUploader>();
        services.AddSingleton<RecordingManager>();
        services.AddSingleton<SpoolLiveSegments>();
        services.AddSingleton<ILiveSegmentSource>(sp => sp.GetRequiredService<SpoolLiveSegments>());
        if (builder.Configuration.GetValue($"{RecordingOptions.Section}:Enabled", true))
        {
            services.AddHostedService(sp => sp.GetRequiredService<SpoolUploader>());
            services.AddHostedService(sp => sp.GetRequiredService<RecordingManager>());
            services.AddHostedService(sp => sp.GetRequiredService<ClockJumpDetector>());
        }

        services.AddHealthChecks().AddCheck<RecordingHealthCheck>("recording", tags: ["ready"]);
        return builder;
    }

    public static IEndpointRouteBuilder MapRecordingApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapRecordingEndpoints();
        endpoints.MapLeaseEndpoints();
        endpoints.MapCameraHolderApi();
        endpoints.MapThumbnailsApi();
        endpoints.MapLiveApi();
        return endpoints;
    }
}
