namespace Footage.Recording.Vms;

/// <summary>
/// Where a VMS service runs (<c>Footage:Recording:Vms</c>, <c>Footage:Recording:StreamCounter</c>); an empty
/// base URL means our own implementation. The API key is sent as <c>X-Api-Key</c> and is never logged.
/// </summary>
public sealed class VmsServiceOptions
{
    public string? BaseUrl { get; set; }

    public string? ApiKey { get; set; }

    /// <summary>The whole call, retries included.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>One attempt; a slow or failed attempt is retried.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(3);

    public bool IsConfigured => !string.IsNullOrWhiteSpace(BaseUrl);

    /// <summary>The service's address for messages: scheme, host and port, never a user or password.</summary>
    public string Display => Uri.TryCreate(BaseUrl, UriKind.Absolute, out var uri) ? $"{uri.Scheme}://{uri.Host}:{uri.Port}" : "(invalid URL)";
}
