namespace Footage.Recording.Cameras;

/// <summary>A step of the wall clock seen against the monotonic clock: when (by the wall clock after it) and by how much (negative: back).</summary>
public sealed record ClockJump(DateTimeOffset At, TimeSpan Size)
{
    public string Direction => Size > TimeSpan.Zero ? "forward" : "backward";
}
