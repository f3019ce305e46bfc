namespace Footage.Core.Segments;

/// <summary>What registering a segment did: a new row, the same row again, or a conflict with another.</summary>
public enum SegmentRegistrationOutcome
{
    Created,
    AlreadyRegistered,
    Conflict,
}

public sealed record SegmentRegistration(SegmentRegistrationOutcome Outcome, Segment Segment);
