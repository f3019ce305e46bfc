using Footage.Metadata;
using Footage.Recording;
using Footage.ServiceDefaults;
using Footage.Playback;
using Footage.Storage;
using Footage.Server.Web;

namespace Footage.Server;

/// <summary>Builds the one host with the modules it runs; <c>Program</c> and the tests both start it this way.</summary>
public static class FootageHost
{
    /// <param name="configureServices">Runs after the modules registered theirs (tests add a hold provider or a clock here).</param>
    public static WebApplication Build(string[] args, Action<IServiceCollection>? configureServices = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults();
        builder.AddStorage();
        builder.AddRecording();
        builder.AddMetadata();
        builder.AddPlayback();
        builder.AddWebUi();
        configureServices?.Invoke(builder.Services);

        var app = builder.Build();
        app.UseWebUi();
        app.UseServiceDefaults();
        app.MapStorageApi();
        app.MapRecordingApi();
        app.MapMetadataApi();
        app.MapPlaybackApi();
        return app;
    }
}
