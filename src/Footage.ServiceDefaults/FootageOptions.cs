namespace Footage.ServiceDefaults;

/// <summary><c>Footage</c>: settings every module shares.</summary>
public sealed class FootageOptions
{
    public const string Section = "Footage";

    /// <summary>Where the embedded defaults keep their files (SQLite database, filesystem storage, spool, keys).</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>Largest request body accepted, in bytes (JSON APIs; media never comes in through the API).</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    public static string ResolveDataDirectory(string? configured) =>
        Path.GetFullPath(string.IsNullOrWhiteSpace(configured) ? "data" : configured);
}
