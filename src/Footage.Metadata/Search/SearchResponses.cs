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
