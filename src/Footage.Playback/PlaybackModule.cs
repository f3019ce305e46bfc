using Footage.Core.Live;
using Footage.Core.Segments;
using Footage.Playback.Caching;
using Footage.Playback.Download;
using Footage.Playback.Links;
using Footage.Playback.Live;
using Footage.Ffmpeg;
using Footage.Playback.Media;
using Footage.Playback.Playlists;
using Footage.Playback.Renditions;
using Footage.Playback.Timeline;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Footage.Playback;

/// <summary>The Playback module: HLS playlists and media straight from stored segments, the timeline, caching.</summary>
public static class PlaybackModule
{
    public static WebApplicationBuilder AddPlayback(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        PlaybackMetrics.Initialize();
        services.AddOptions<PlaybackOptions>().BindConfiguration(PlaybackOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IPlaybackCache>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<PlaybackOptions>>().Value;
            if (string.IsNullOrWhiteSpace(options.Redis))
            {
                return new MemoryPlaybackCache(sp.GetRequiredService<IOptions<PlaybackOptions>>(), sp.GetRequiredService<TimeProvider>());
            }

            var configuration = ConfigurationOptions.Parse(options.Redis);
            configuration.AbortOnConnectFail = false; // Valkey down at start must not stop playback; it reconnects
            return new RedisPlaybackCache(ConnectionMultiplexer.Connect(configuration));
        });
        services.AddSingleton<ISegmentChangeListener, CacheInvalidation>();
        services.AddOptions<AbrOptions>().BindConfiguration(AbrOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<TranscodeOptions>().BindConfiguration(TranscodeOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<MediaTokens>();
        services.AddSingleton<LiveSegmentSnapshots>();
        services.AddSingleton<LiveJournalStore>();
        services.AddSingleton<LivePlaylist>();
        services.AddSingleton<HlsPlaylists>();
        services.AddSingleton<MediaFiles>();
        services.AddSingleton<TranscodedRendition>();
        services.AddSingleton<PlaybackLinkRepository>();
        services.AddSingleton<LinkAccessAudit>();
        services.AddSingleton<Data.Migrations.IMigrationSource, PlaybackLinkMigrations>();
        services.AddOptions<FfmpegOptions>().BindConfiguration(FfmpegOptions.Section);
        services.TryAddSingleton<FfmpegRunner>();
        services.TryAddSingleton<StreamedMp4>();
        AddLiveEdge(builder);
        services.AddHealthChecks().AddCheck<PlaybackCacheHealthCheck>("playback_cache");
        return builder;
    }

    public static IEndpointRouteBuilder MapPlaybackApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHlsApi();
        endpoints.MapMediaApi();
        endpoints.MapFolderMediaApi();
        endpoints.MapTimelineApi();
        endpoints.MapThumbnailsApi();
        endpoints.MapDownloadApi();
        endpoints.MapMasterPlaylistApi();
        endpoints.MapPlaybackLinksApi();
        return endpoints;
    }

    /// <summary>
    /// The recorder's uncatalogued footage: the Recording module's spool when it runs in this process (it registered the source
    /// before), else the Recording service at <c>Footage:Playback:RecordingService:BaseUrl</c>, else none (live playlists then
    /// hold the catalogued footage only).
    /// </summary>
    private static void AddLiveEdge(WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var recording = builder.Configuration.GetSection(RecordingServiceOptions.Section).Get<RecordingServiceOptions>();
        if (recording is not { IsRemote: true })
        {
            services.TryAddSingleton<ILiveSegmentSource, NoLiveSegments>();
            return;
        }

        var baseUrl = recording.BaseUrl!.EndsWith('/') ? recording.BaseUrl : recording.BaseUrl + "/";
        services.AddHttpClient<HttpLiveSegmentSource>(http =>
            {
                http.BaseAddress = new Uri(baseUrl);
                http.Timeout = recording.Timeout;
                if (!string.IsNullOrWhiteSpace(recording.ApiKey))
                {
                    http.DefaultRequestHeaders.Add("X-Api-Key", recording.ApiKey);
                }
            });
        services.RemoveAll<ILiveSegmentSource>();
        services.AddSingleton<ILiveSegmentSource>(sp => sp.GetRequiredService<HttpLiveSegmentSource>());
    }
}
