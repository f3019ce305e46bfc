namespace Footage.ServiceDefaults.Audit;

/// <summary>
/// What an audit entry records: a change that was made, an attempt that was refused (401, 403, 429), or footage someone
/// accessed (played, downloaded, exported, saved as a clip).
/// </summary>
public static class AuditOutcome
{
    public const string Changed = "changed";
    public const string Refused = "refused";
    public const string Accessed = "accessed";

    public static bool IsKnown(string? outcome) => outcome is Changed or Refused or Accessed;
}
