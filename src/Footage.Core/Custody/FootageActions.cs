namespace Footage.Core.Custody;

/// <summary>The footage actions other modules report to <see cref="IFootageCustody"/>.</summary>
public static class FootageActions
{
    public const string ExportCreated = "EXPORT_CREATED";
    public const string ExportCompleted = "EXPORT_COMPLETED";
    public const string ExportDownloaded = "EXPORT_DOWNLOADED";
    public const string ClipCreated = "CLIP_CREATED";
    public const string ClipCompleted = "CLIP_COMPLETED";
    public const string ClipFailed = "CLIP_FAILED";
    public const string ClipDownloaded = "CLIP_DOWNLOADED";
    public const string ClipDeleted = "CLIP_DELETED";
}
