namespace Footage.Milestone.Recordings;

/// <summary>Milestone's fixed sequence type ids (RecorderCommandService documentation).</summary>
public static class SequenceTypes
{
    /// <summary>Spans with recorded video.</summary>
    public static readonly Guid Recording = new("f9c62604-d0c5-4050-ae25-72de51639b14");
}
