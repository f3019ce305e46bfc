namespace Footage.Core.Timeline;

/// <summary>Something to show on a camera's timeline at an instant or over a range: an annotation, an incident, ...</summary>
public sealed record TimelineMarker(string Kind, Guid Id, DateTimeOffset Start, DateTimeOffset? End, string Label, string? Type);
