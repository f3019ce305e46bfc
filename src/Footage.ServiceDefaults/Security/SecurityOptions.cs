namespace Footage.ServiceDefaults.Security;

/// <summary><c>Footage:Security</c>: the browser-facing rules, the same for the UI's files and the API.</summary>
public sealed class SecurityOptions
{
    public const string Section = "Footage:Security";

    /// <summary>
    /// What the control-room UI needs and nothing more: its own scripts and styles, hls.js feeding the video element
    /// through Media Source (blob: media and worker), stills from this host, and no framing by any other page.
    /// </summary>
    public const string DefaultContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; " +
        "worker-src 'self' blob:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public string ContentSecurityPolicy { get; set; } = DefaultContentSecurityPolicy;

    /// <summary>
    /// Origins (scheme://host[:port]) whose pages may call the API from a browser. Empty, the default: none, so only
    /// the UI served by this host (same origin) can.
    /// </summary>
    public List<string> CorsAllowedOrigins { get; set; } = [];
}
