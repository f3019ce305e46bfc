namespace Footage.Recording.Processes;

/// <summary>One <c>-progress</c> report of ffmpeg: how much footage it had muxed, and the wall-clock instant the report was read.</summary>
public sealed record ProgressReport(TimeSpan OutTime, DateTimeOffset ReceivedAt);
