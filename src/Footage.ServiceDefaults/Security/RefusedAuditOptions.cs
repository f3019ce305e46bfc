namespace Footage.ServiceDefaults.Security;

/// <summary>
/// <c>Footage:Security:RefusedAudit</c>: how refused requests (401, 403, 429) are kept in the audit log without a flood of
/// them filling the database. In each window, an address's first <see cref="EntriesPerAddress"/> refusals are entries
/// of their own, at most <see cref="Entries"/> in all; the rest of an address's refusals in that window are counted in
/// one entry (its <c>attempts</c>), and once <see cref="Entries"/> addresses have such an entry, all further
/// addresses share one. Refusals older than <see cref="KeepDays"/> are deleted.
/// </summary>
public sealed class RefusedAuditOptions
{
    public int EntriesPerAddress { get; set; } = 10;

    public int Entries { get; set; } = 100;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Days refused attempts are kept (changes are kept for good).</summary>
    public int KeepDays { get; set; } = 90;
}
