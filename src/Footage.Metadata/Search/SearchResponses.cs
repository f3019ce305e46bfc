using Footage.Metadata.Incidents;

namespace Footage.Metadata.Search;

/// <summary>One page of search results: what was searched, the items, and the offset of the next page (null at the end).</summary>
public sealed record SearchPage<T>(string Type, IReadOnlyList<T> Items, int Offset, int Limit, int? NextOffset);

/// <summary>An incident found, with its rank (relative, higher is better) and its matches as HTML with &lt;mark&gt;.</summary>
public sealed record IncidentHitResponse(IncidentResponse Incident, double? Rank, HighlightResponse? Highlights);

public sealed record HighlightResponse(string? Title, string? Description);

/// <summary>A segment found, with its tags and whether an incident holds it.</summary>
public sealed record SegmentHitResponse(
    Guid Id, Guid CameraId, DateTimeOffset StartTime, DateTimeOffset EndTime, int DurationSeconds, long SizeBytes, string? Checksum,
    string? ThumbnailPath, IReadOnlyList<string> Tags, bool EvidenceHold, string? HoldReason);

/// <summary>
/// A hit of the search over every kind: what it is, its rank, a label and a snippet (HTML with &lt;mark&gt;), the cameras
/// and range it concerns, <c>camera_id</c> and <c>open_at</c> to open its footage (none for a tag: it opens the segments
/// carrying it), and what only some kinds have.
/// </summary>
public sealed record SearchHitResponse(
    string Kind, Guid Id, int Rank, string? Title, string? Snippet, Guid? CameraId, IReadOnlyList<Guid> CameraIds, DateTimeOffset? StartTime,
    DateTimeOffset? EndTime, DateTimeOffset? OpenAt, string? Severity, string? Status, string? User, Guid? SegmentId, string? Category, string? Color,
    IReadOnlyList<string>? Tags)
{
    public static SearchHitResponse From(Unified.SearchHit hit) =>
        new(Unified.SearchKinds.ToName(hit.Kind), hit.Id, hit.Rank, hit.Label, hit.Snippet, hit.CameraIds.Count > 0 ? hit.CameraIds[0] : null, hit.CameraIds,
            hit.StartTime, hit.EndTime, hit.Kind == Unified.SearchKind.Tag ? null : hit.StartTime, hit.Details.Severity, hit.Details.Status, hit.Details.User,
            hit.Details.SegmentId, hit.Details.Category, hit.Details.Color, hit.Details.Tags);
}
