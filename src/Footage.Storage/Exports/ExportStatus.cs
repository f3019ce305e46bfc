namespace Footage.Storage.Exports;

/// <summary>PENDING, PROCESSING, COMPLETED or FAILED as the spec says; EXPIRED once retention removed the file.</summary>
public enum ExportStatus
{
    Pending,
    Processing,
    Completed,
    Failed,
    Expired,
}
