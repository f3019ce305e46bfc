namespace Footage.ServiceDefaults.Security;

/// <summary>
/// <c>Footage:Security:AccessAudit</c>: how playlist requests become viewings in the audit log. A playlist request of a camera
/// by the same caller within <see cref="CoalesceWithin"/> of that caller's last request of the camera, for a range that
/// overlaps or touches the one seen so far, is part of the same viewing (a live player refreshing its playlist, a player
/// asking for both renditions, a seek inside the range): it widens that entry's range and counts one more request instead of
/// writing an entry of its own. The widened entry is written within <see cref="FlushAfter"/>.
/// </summary>
public sealed class AccessAuditOptions
{
    public TimeSpan CoalesceWithin { get; set; } = TimeSpan.FromMinutes(5);

    public TimeSpan FlushAfter { get; set; } = TimeSpan.FromSeconds(30);
}
