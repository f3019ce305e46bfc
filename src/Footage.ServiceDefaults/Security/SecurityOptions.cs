using System.Net;

namespace Footage.ServiceDefaults.Security;

/// <summary><c>Footage:Security</c>: the browser-facing rules, the same for the UI's files and the API, and the limits on refused requests.</summary>
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

    /// <summary>
    /// Reverse proxies (addresses, or networks such as <c>10.0.0.0/8</c>) whose <c>X-Forwarded-For</c> gives the client's
    /// address. Empty, the default: the connection's own address is the client's, and the header is ignored.
    /// </summary>
    public List<string> TrustedProxies { get; set; } = [];

    /// <summary>
    /// Networks (or addresses) whose callers are internal: they read the detailed <c>/health</c>, <c>/metrics</c> and the
    /// OpenAPI document without credentials (an admin may from anywhere). Loopback always is; a trusted proxy's own address
    /// never is (a request it forwards is its client's). Empty, the default: loopback only.
    /// </summary>
    public List<string> InternalNetworks { get; set; } = [];

    public FailedSignInOptions FailedSignIns { get; set; } = new();

    public CallerRequestOptions CallerRequests { get; set; } = new();

    public RefusedAuditOptions RefusedAudit { get; set; } = new();

    public AccessAuditOptions AccessAudit { get; set; } = new();

    /// <summary>What is wrong with these settings, each naming the setting; empty when nothing is.</summary>
    public IEnumerable<string> Problems()
    {
        foreach (var origin in CorsAllowedOrigins.Where(o => !IsOrigin(o)))
        {
            yield return $"{Section}:CorsAllowedOrigins must list origins such as https://control.example.com (scheme, host, optional port; no path), not '{origin}'";
        }

        foreach (var proxy in TrustedProxies.Where(p => !IPNetwork.TryParse(p, out _) && !IPAddress.TryParse(p, out _)))
        {
            yield return $"{Section}:TrustedProxies must list addresses (10.0.0.5) or networks (10.0.0.0/8), not '{proxy}'";
        }

        foreach (var network in InternalNetworks.Where(p => !IPNetwork.TryParse(p, out _) && !IPAddress.TryParse(p, out _)))
        {
            yield return $"{Section}:InternalNetworks must list addresses (10.0.0.5) or networks (10.0.0.0/8), not '{network}'";
        }

        if (FailedSignIns.Limit < 0 || FailedSignIns.Window < TimeSpan.FromSeconds(1))
        {
            yield return $"{Section}:FailedSignIns: Limit must be 0 (off) or more and Window at least 00:00:01";
        }

        if (CallerRequests.Limit < 0 || CallerRequests.Window < TimeSpan.FromSeconds(1))
        {
            yield return $"{Section}:CallerRequests: Limit must be 0 (off) or more and Window at least 00:00:01";
        }

        if (RefusedAudit.EntriesPerAddress < 1 || RefusedAudit.Entries < 1 || RefusedAudit.Window < TimeSpan.FromSeconds(1) || RefusedAudit.KeepDays < 1)
        {
            yield return $"{Section}:RefusedAudit: EntriesPerAddress, Entries and KeepDays must be at least 1 and Window at least 00:00:01";
        }

        if (AccessAudit.CoalesceWithin < TimeSpan.Zero || AccessAudit.FlushAfter < TimeSpan.FromSeconds(1) || AccessAudit.FlushAfter > TimeSpan.FromHours(1))
        {
            yield return $"{Section}:AccessAudit: CoalesceWithin must be 00:00:00 (off) or more and FlushAfter between 00:00:01 and 01:00:00";
        }
    }

    /// <summary>The proxies as networks (an address is a network of one).</summary>
    public IEnumerable<IPNetwork> TrustedProxyNetworks() => TrustedProxies.Select(Network);

    /// <summary>The internal networks, loopback included.</summary>
    public IEnumerable<IPNetwork> InternalNetworkList() =>
        [IPNetwork.Parse("127.0.0.0/8"), IPNetwork.Parse("::1/128"), .. InternalNetworks.Select(Network)];

    private static IPNetwork Network(string value) =>
        IPNetwork.TryParse(value, out var network) ? network : new IPNetwork(IPAddress.Parse(value), IPAddress.Parse(value).AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);

    private static bool IsOrigin(string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && string.IsNullOrEmpty(uri.UserInfo) &&
        string.Equals(origin, uri.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase);
}
