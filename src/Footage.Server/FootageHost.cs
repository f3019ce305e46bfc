using Footage.Recording;
using Footage.ServiceDefaults;
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
        builder.AddRecording();

        var app = builder.Build();
        app.UseServiceDefaults();
        app.MapStorageApi();
        app.MapRecordingApi();
        return app;
    }
}
