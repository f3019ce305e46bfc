namespace Footage.Recording.Processes;

/// <summary>
/// One <c>-progress</c> report of ffmpeg: how much footage it had muxed, and when the report was read, by the wall clock
/// and by the monotonic clock (<see cref="TimeProvider.GetTimestamp"/>, which a step of the system clock does not move).
/// </summary>
public sealed record ProgressReport(TimeSpan OutTime, DateTimeOffset ReceivedAt, long ReceivedTimestamp);
