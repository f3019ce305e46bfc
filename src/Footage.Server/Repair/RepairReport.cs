namespace Footage.Server.Repair;

/// <summary>How many orphaned objects the repair registered, skipped, found in conflict (or would register, in a dry run).</summary>
public sealed class RepairReport
{
    public Dictionary<string, int> Actions { get; } = new(StringComparer.Ordinal);

    public void Add(RepairOutcome outcome) => Actions[outcome.Action] = Actions.GetValueOrDefault(outcome.Action) + 1;

    public override string ToString() =>
        Actions.Count == 0 ? "no orphaned objects" : string.Join(", ", Actions.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Value} {a.Key}"));
}
