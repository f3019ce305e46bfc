namespace Footage.ServiceDefaults.Audit;

/// <summary>What an audit entry records: a change that was made, or an attempt that was refused (401, 403, 429).</summary>
public static class AuditOutcome
{
    public const string Changed = "changed";
    public const string Refused = "refused";

    public static bool IsKnown(string? outcome) => outcome is Changed or Refused;
}
