using Footage.Core.Cameras;
using Footage.Core.Custody;
using Footage.Core.Incidents;
using Footage.Core.Segments;
using Footage.Core.Storage;
using Footage.Data.Migrations;
using Footage.Ffmpeg;
using Footage.ServiceDefaults;
using Footage.Storage.Backends;
using Footage.Storage.Buckets;
using Footage.Storage.Cameras;
using Footage.Storage.Clips;
using Footage.Storage.Evidence;
using Footage.Storage.Exports;
using Footage.Storage.Holds;
using Footage.Storage.Integrity;
using Footage.Storage.Quarantine;
using Footage.Storage.Retention;
using Footage.Storage.Segments;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Footage.Storage;

/// <summary>The Storage module: segments catalog, cameras, backends, exports, incident clips, evidence signing, retention.</summary>
public static class StorageModule
{
    /// <summary>The backends alone, for hosts that write or read objects without running the Storage API (a split recorder, playback).</summary>
    public static IServiceCollection AddStorageBackends(this IServiceCollection services)
    {
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.Scrub.BytesPerSecond > 0 && o.Scrub.PassInterval > TimeSpan.Zero && o.Scrub.ReconcileInterval > TimeSpan.Zero && o.Scrub.OrphanGrace >= TimeSpan.Zero,
                "Footage:Storage:Scrub: BytesPerSecond, PassInterval and ReconcileInterval must be positive, OrphanGrace not negative.")
            .Validate(o => o.Holds.SweepInterval > TimeSpan.Zero, "Footage:Storage:Holds:SweepInterval must be positive.")
            .ValidateOnStart();
        services.TryAddSingleton<IStorageBackendRegistry>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            var footage = sp.GetRequiredService<IOptions<FootageOptions>>().Value;
            var backends = new List<IStorageBackend>();
            if (options.Filesystem.Enabled)
            {
                var root = string.IsNullOrWhiteSpace(options.Filesystem.Root)
                    ? Path.Combine(FootageOptions.ResolveDataDirectory(footage.DataDirectory), "storage")
                    : options.Filesystem.Root;
                backends.Add(new FilesystemBackend(root));
            }

            if (options.S3.Enabled)
            {
                backends.Add(new S3Backend(options.S3));
            }

            // backends other modules contribute (Milestone's read-only one)
            backends.AddRange(sp.GetServices<IStorageBackend>());

            return new StorageBackendRegistry(backends, options.DefaultBackend);
        });
        services.AddHealthChecks().AddCheck<BackendsHealthCheck>("storage_backends", tags: ["ready"]);
        return services;
    }

    /// <summary>The holds record (any process that places holds: Metadata writes it in the transaction of each incident change).</summary>
    public static IServiceCollection AddHoldLedger(this IServiceCollection services)
    {
        services.TryAddSingleton<SegmentHoldLedger>();
        services.TryAddSingleton<ISegmentHoldLedger>(sp => sp.GetRequiredService<SegmentHoldLedger>());
        return services;
    }

    public static WebApplicationBuilder AddStorage(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        StorageMetrics.Initialize();
        services.AddStorageBackends();
        services.AddOptions<FfmpegOptions>().BindConfiguration(FfmpegOptions.Section);
        services.TryAddSingleton<FfmpegRunner>();
        services.TryAddSingleton<ConcatStitcher>();
        services.AddSingleton<IMigrationSource, StorageMigrations>();
        services.AddSingleton<BucketProvisioner>();
        services.AddHostedService(sp => sp.GetRequiredService<BucketProvisioner>());
        services.AddHealthChecks().AddCheck<BucketsHealthCheck>("s3_buckets", tags: ["ready"]);

        services.AddHoldLedger();
        services.AddSingleton<HeldFootage>();
        services.AddHostedService<HoldKeeper>();
        services.AddSingleton<QuarantineRepository>();
        services.AddSingleton<IntegrityFindings>();
        services.AddSingleton<IntegrityScrub>();
        services.AddHostedService<IntegrityScrubService>();
        services.AddSingleton<SegmentRepository>();
        services.AddSingleton<ISegmentCatalog>(sp => sp.GetRequiredService<SegmentRepository>());
        services.AddSingleton<CameraRepository>();
        services.AddSingleton<CameraStates>();
        services.AddSingleton<Thumbnails.ThumbnailRepository>();
        services.TryAddSingleton<Core.Timeline.IThumbnailIndex>(sp => sp.GetRequiredService<Thumbnails.ThumbnailRepository>());
        services.TryAddSingleton<ICameraDirectory>(sp => sp.GetRequiredService<CameraRepository>());
        services.AddHostedService<CredentialMigration>();
        services.AddSingleton<SegmentHolds>();
        services.AddSingleton<DeletionQueue>();
        services.AddSingleton<RetentionJob>();
        services.AddHostedService<RetentionService>();

        services.TryAddSingleton<IFootageCustody, NoFootageCustody>();
        services.AddOptions<EvidenceOptions>().BindConfiguration(EvidenceOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<EvidenceOptions>, EvidenceOptionsValidation>();
        services.AddSingleton<EvidenceSigner>();
        services.AddSingleton<EvidencePackager>();
        services.AddSingleton<FootageStitcher>();
        services.AddSingleton<ExportRepository>();
        services.AddSingleton<ExportBuilder>();
        services.AddSingleton<ExportWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<ExportWorker>());

        services.TryAddSingleton<IIncidentDirectory, NoIncidents>();
        services.AddSingleton<IMigrationSource, ClipMigrations>();
        services.AddSingleton<ClipRepository>();
        services.AddSingleton<ClipBuilder>();
        services.AddSingleton<ClipWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<ClipWorker>());
        return builder;
    }

    public static IEndpointRouteBuilder MapStorageApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapSegmentsApi();
        endpoints.MapCamerasApi();
        endpoints.MapExportsApi();
        endpoints.MapClipsApi();
        endpoints.MapEvidenceApi();
        endpoints.MapRetentionApi();
        endpoints.MapQuarantineApi();
        endpoints.MapIntegrityApi();
        return endpoints;
    }
}
