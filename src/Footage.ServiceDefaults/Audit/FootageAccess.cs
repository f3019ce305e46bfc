namespace Footage.ServiceDefaults.Audit;

/// <summary>The kinds of access to footage the audit log records.</summary>
public static class FootageAccess
{
    /// <summary>An HLS playlist of a camera and range (recorded or live): one entry per viewing, see <see cref="AccessLog"/>.</summary>
    public const string Playback = "playback";

    /// <summary>An MP4 of a range streamed by the playback download.</summary>
    public const string Download = "download";

    /// <summary>
    /// A stored segment's own bytes (<c>GET /api/v1/storage/segments/by-id/{id}/content</c>): one entry per viewing like
    /// playlists, so byte-range reads of a segment, or of consecutive segments, are one entry.
    /// </summary>
    public const string SegmentDownload = "segment_download";

    public const string Export = "export";
    public const string ExportDownload = "export_download";
    public const string Clip = "clip";
    public const string ClipDownload = "clip_download";

    public static readonly IReadOnlyList<string> All = [Playback, Download, SegmentDownload, Export, ExportDownload, Clip, ClipDownload];
}
