namespace Footage.Core.Time;

/// <summary>A half-open interval [Start, End) of wall-clock time in UTC.</summary>
public readonly record struct TimeRange(DateTimeOffset Start, DateTimeOffset End)
{
    public TimeSpan Duration => End - Start;

    public bool Overlaps(DateTimeOffset start, DateTimeOffset end) => start < End && end > Start;

    public bool Contains(DateTimeOffset instant) => instant >= Start && instant < End;
}
