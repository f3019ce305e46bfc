namespace Footage.ServiceDefaults.Audit;

/// <summary>The kinds of access to footage the audit log records.</summary>
public static class FootageAccess
{
    /// <summary>An HLS playlist of a camera and range (recorded or live): one entry per viewing, see <see cref="AccessLog"/>.</summary>
    public const string Playback = "playback";

    /// <summary>An MP4 of a range streamed by the playback download.</summary>
    public const string Download = "download";

    public const string Export = "export";
    public const string ExportDownload = "export_download";
    public const string Clip = "clip";
    public const string ClipDownload = "clip_download";

    public static readonly IReadOnlyList<string> All = [Playback, Download, Export, ExportDownload, Clip, ClipDownload];
}
