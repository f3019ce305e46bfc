namespace Footage.Storage.Clips;

/// <summary>PENDING and PROCESSING while it is made, then COMPLETED or FAILED; DELETED once an admin deleted it.</summary>
public enum ClipStatus
{
    Pending,
    Processing,
    Completed,
    Failed,
    Deleted,
}
