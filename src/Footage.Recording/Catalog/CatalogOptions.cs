namespace Footage.Recording.Catalog;

/// <summary><c>Footage:Recording:Catalog</c>: where segments are registered when the Storage service runs elsewhere.</summary>
public sealed class CatalogOptions
{
    /// <summary>Base URL of the Storage service (for example <c>http://storage:8080/</c>); empty means the in-process catalog.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>An operator API key of the Storage service.</summary>
    public string? ApiKey { get; set; }

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    public bool IsRemote => !string.IsNullOrWhiteSpace(BaseUrl);
}
