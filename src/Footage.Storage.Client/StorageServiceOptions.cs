namespace Footage.Storage.Client;

/// <summary><c>Footage:StorageService</c>: where the Storage service runs when this process does not run it (split mode).</summary>
public sealed class StorageServiceOptions
{
    public const string Section = "Footage:StorageService";

    /// <summary>Base URL of the Storage service (for example <c>http://storage:8080/</c>); empty means the in-process catalog.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>An operator API key of the Storage service.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The whole call, retries included.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>One attempt; a slow or failed attempt is retried (registration is idempotent, so a POST may be retried too).</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public bool IsRemote => !string.IsNullOrWhiteSpace(BaseUrl);
}
