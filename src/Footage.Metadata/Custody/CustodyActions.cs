using Footage.Core.Custody;

namespace Footage.Metadata.Custody;

/// <summary>What a custody entry records. Footage actions of other modules come as <see cref="FootageActions"/>.</summary>
public static class CustodyActions
{
    public const string Created = "CREATED";
    public const string Viewed = "VIEWED";
    public const string Updated = "UPDATED";
    public const string Tagged = "TAGGED";
    public const string StatusChanged = "STATUS_CHANGED";
    public const string Closed = "CLOSED";
    public const string SegmentTagged = "SEGMENT_TAGGED";
    public const string SegmentUntagged = "SEGMENT_UNTAGGED";
    public const string Annotated = "ANNOTATED";
    public const string AnnotationDeleted = "ANNOTATION_DELETED";
}
