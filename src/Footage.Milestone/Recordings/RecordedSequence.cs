namespace Footage.Milestone.Recordings;

/// <summary>One of Milestone's SequenceEntry: a span of recorded video, UTC.</summary>
public sealed record RecordedSequence(DateTimeOffset TimeBegin, DateTimeOffset TimeTrigged, DateTimeOffset TimeEnd);
