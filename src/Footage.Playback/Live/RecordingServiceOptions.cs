namespace Footage.Playback.Live;

/// <summary>
/// <c>Footage:Playback:RecordingService</c>: where the recorder runs when this process does not record (split mode), so that
/// live playlists reach the footage it has not catalogued yet. Empty means the in-process recorder, or none.
/// </summary>
public sealed class RecordingServiceOptions
{
    public const string Section = "Footage:Playback:RecordingService";

    /// <summary>Base URL of the Recording service (for example <c>http://recording:8080/</c>).</summary>
    public string? BaseUrl { get; set; }

    /// <summary>A viewer (or higher) API key of the Recording service.</summary>
    public string? ApiKey { get; set; }

    /// <summary>One call; a live playlist built without the recorder still lists the catalogued footage.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    public bool IsRemote => !string.IsNullOrWhiteSpace(BaseUrl);
}
