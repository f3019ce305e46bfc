using Footage.ServiceDefaults;
using Footage.Playback;
using Footage.Storage;

namespace Footage.Server;

/// <summary>Builds the one host with the modules it runs; <c>Program</c> and the tests both start it this way.</summary>
public static class FootageHost
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults();
        builder.AddStorage();
        builder.AddPlayback();

        var app = builder.Build();
        app.UseServiceDefaults();
        app.MapStorageApi();
        app.MapPlaybackApi();
        return app;
    }
}
