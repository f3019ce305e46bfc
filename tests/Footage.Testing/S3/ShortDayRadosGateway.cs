namespace Footage.Testing;

/// <summary>
/// A <see cref="RadosGateway"/> whose lifecycle "day" lasts <see cref="DaySeconds"/> seconds, so that a test can watch
/// expiry rules delete objects. Its own collection: every lifecycle rule on it acts in seconds.
/// </summary>
public sealed class ShortDayRadosGateway() : RadosGateway(TimeSpan.FromSeconds(DaySeconds))
{
    public const int DaySeconds = 5;
}
