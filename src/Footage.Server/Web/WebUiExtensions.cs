using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;

namespace Footage.Server.Web;

/// <summary>Serves the control-room UI's static files at <c>/</c>, open to anyone: the page itself holds no footage, and its API calls carry the key the person types.</summary>
public static class WebUiExtensions
{
    public static WebApplicationBuilder AddWebUi(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<WebUiOptions>().BindConfiguration(WebUiOptions.Section);
        return builder;
    }

    /// <summary>Runs before authentication so that the fallback policy (viewer) does not apply to the page's files; a missing folder (a build without npm) serves nothing.</summary>
    public static WebApplication UseWebUi(this WebApplication app)
    {
        var root = app.Services.GetRequiredService<IOptions<WebUiOptions>>().Value.ResolveRoot();
        if (!File.Exists(Path.Combine(root, "index.html")))
        {
            app.Logger.LogInformation("No web UI at {Root}: build it with `npm ci && npm run build` in web/", root);
            return app;
        }

        var files = new PhysicalFileProvider(root);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            OnPrepareResponse = context =>
            {
                Footage.ServiceDefaults.Security.SecurityHeaders.Apply(context.Context);
                context.Context.Response.Headers.CacheControl = "no-cache";
            },
        });
        return app;
    }
}
