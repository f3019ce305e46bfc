using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Footage.ServiceDefaults.Security;

/// <summary>The headers every response carries, the UI's files as much as the API's answers.</summary>
public static class SecurityHeaders
{
    public static void Apply(HttpContext context)
    {
        var options = context.RequestServices.GetRequiredService<IOptions<SecurityOptions>>().Value;
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
        if (!string.IsNullOrWhiteSpace(options.ContentSecurityPolicy))
        {
            headers.ContentSecurityPolicy = options.ContentSecurityPolicy;
        }
    }
}
