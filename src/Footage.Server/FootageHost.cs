using Footage.Core.Cameras;
using Footage.Core.Custody;
using Footage.Core.Segments;
using Footage.Core.Timeline;
using Footage.Data.Migrations;
using Footage.Metadata;
using Footage.Milestone;
using Footage.Metadata.Annotations;
using Footage.Metadata.Custody;
using Footage.Metadata.Holds;
using Footage.Metadata.Incidents;
using Footage.Metadata.Timeline;
using Footage.Recording;
using Footage.ServiceDefaults;
using Footage.Playback;
using Footage.Playback.Caching;
using Footage.Storage;
using Footage.Server.Web;
using Footage.Storage.Cameras;
using Footage.Storage.Client;
using Footage.Storage.Thumbnails;
using Microsoft.Extensions.DependencyInjection.Extensions;
using StackExchange.Redis;

namespace Footage.Server;

/// <summary>Builds the one host with the modules it runs; <c>Program</c> and the tests both start it this way.</summary>
public static class FootageHost
{
    /// <param name="configureServices">Runs after the modules registered theirs (tests add a hold provider or a clock here).</param>
    public static WebApplication Build(string[] args, Action<IServiceCollection>? configureServices = null)
    {
        // The content root is the program's folder, not the working folder, and settings files are read once: ASP.NET
        // otherwise watches its content root for changed settings files, every folder below it included, and the working
        // folder usually holds the data folder, where ffmpeg writes all day (each write woke the watcher: half of the
        // recorder's CPU at 50 cameras, and the writes themselves grew dearer). Options are validated at start anyway.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = ["--hostBuilder:reloadConfigOnChange=false", .. args],
            ContentRootPath = AppContext.BaseDirectory,
        });
        var modules = FootageModules.Parse(builder.Configuration[FootageModules.Key]);
        builder.AddServiceDefaults();
        if (modules.Storage)
        {
            builder.AddStorage();
        }
        else
        {
            AddStorageFromElsewhere(builder, modules);
        }

        if (modules.Recording)
        {
            builder.AddRecording();
        }

        if (modules.Metadata)
        {
            builder.AddMetadata();
        }
        else
        {
            AddMetadataReaders(builder.Services, modules);
        }

        if (modules.Playback)
        {
            builder.AddPlayback();
        }
        else if (modules.Storage)
        {
            AddPlaybackCacheInvalidation(builder);
        }

        var milestone = MilestoneModule.IsConfigured(builder.Configuration);
        if (milestone && modules.Storage)
        {
            builder.AddMilestone();
        }
        else if (milestone)
        {
            builder.Services.AddMilestoneBackend();
        }

        builder.AddWebUi();
        configureServices?.Invoke(builder.Services);

        var app = builder.Build();
        app.UseWebUi();
        app.UseServiceDefaults();
        if (modules.Storage)
        {
            app.MapStorageApi();
        }

        if (modules.Recording)
        {
            app.MapRecordingApi();
        }

        if (modules.Metadata)
        {
            app.MapMetadataApi();
        }

        if (modules.Playback)
        {
            app.MapPlaybackApi();
        }

        if (milestone && modules.Storage)
        {
            app.MapMilestone();
        }

        return app;
    }

    /// <summary>
    /// Split mode without the Storage module: the segment catalog is the Storage service's API (retries, timeouts),
    /// objects are read and written in the backends directly, and the camera directory and thumbnail index are read from the
    /// shared catalog database (the HTTP camera API redacts RTSP credentials, which a recorder needs).
    /// Every process applies every module's migrations (an advisory lock serialises them), so start order does not matter.
    /// </summary>
    private static void AddStorageFromElsewhere(WebApplicationBuilder builder, FootageModules modules)
    {
        var services = builder.Services;
        var storage = builder.Configuration.GetSection(StorageServiceOptions.Section).Get<StorageServiceOptions>();
        if (storage is not { IsRemote: true })
        {
            throw new InvalidOperationException(
                $"{FootageModules.Key} leaves out storage: set {StorageServiceOptions.Section}:BaseUrl to the Storage service.");
        }

        services.AddStorageBackends();
        services.AddHoldLedger();
        services.AddRemoteSegmentCatalog(storage);
        services.TryAddSingleton<ICameraDirectory, CameraRepository>();
        services.TryAddSingleton<IThumbnailIndex, ThumbnailRepository>();
        services.AddSingleton<IMigrationSource, StorageMigrations>();
        if (!modules.Metadata)
        {
            services.TryAddSingleton<IFootageCustody, NoFootageCustody>();
        }
    }

    /// <summary>
    /// Without the Metadata module, a Storage process still honours incident holds before deleting footage, still
    /// writes the chain of custody of exports and clips and reads the incidents it saves clips of, and a Playback process still shows annotations and incidents on the
    /// timeline, through the shared database.
    /// </summary>
    private static void AddMetadataReaders(IServiceCollection services, FootageModules modules)
    {
        if (!modules.Storage && !modules.Playback)
        {
            return;
        }

        services.AddOptions<MetadataOptions>().BindConfiguration(MetadataOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IMigrationSource, MetadataMigrations>();
        services.TryAddSingleton<CustodyLog>();
        services.TryAddSingleton<IncidentRepository>();
        if (modules.Storage)
        {
            services.TryAddSingleton<FootageCustody>();
            services.Replace(ServiceDescriptor.Singleton<IFootageCustody>(sp => sp.GetRequiredService<FootageCustody>()));
            services.TryAddSingleton<IncidentHolds>();
            services.AddSingleton<Footage.Data.IDatabaseStartupTask, IncidentHoldSync>();
            services.Replace(ServiceDescriptor.Singleton<Core.Incidents.IIncidentDirectory, IncidentDirectory>());
        }

        if (modules.Playback)
        {
            services.TryAddSingleton<AnnotationRepository>();
            services.AddSingleton<ITimelineMarkerSource, MetadataTimelineMarkers>();
        }
    }

    /// <summary>
    /// A Storage process without Playback still retires the playlists Playback cached in the shared Valkey when a
    /// camera's catalog changes (an in-process cache of another process cannot be reached; it expires on its own).
    /// </summary>
    private static void AddPlaybackCacheInvalidation(WebApplicationBuilder builder)
    {
        var redis = builder.Configuration[$"{PlaybackOptions.Section}:Redis"];
        if (string.IsNullOrWhiteSpace(redis))
        {
            return;
        }

        builder.Services.AddSingleton<IPlaybackCache>(_ =>
        {
            var configuration = ConfigurationOptions.Parse(redis);
            configuration.AbortOnConnectFail = false; // Valkey down at start must not stop Storage; it reconnects
            return new RedisPlaybackCache(ConnectionMultiplexer.Connect(configuration));
        });
        builder.Services.AddSingleton<ISegmentChangeListener, CacheInvalidation>();
    }
}
