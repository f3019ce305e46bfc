namespace Footage.ServiceDefaults.Security;

/// <summary>
/// <c>Footage:Security:CallerRequests</c>: requests one caller (an API key, or a bearer token's subject) may make in a window;
/// above it 429 until the window ends. Off by default: one control-room screen of HLS players makes many requests, and a
/// limit has to be chosen for the screens a key serves. Signed links (media, stills, downloads) are not counted.
/// </summary>
public sealed class CallerRequestOptions
{
    /// <summary>Requests per caller and window; 0 (the default) turns the limit off.</summary>
    public int Limit { get; set; }

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}
