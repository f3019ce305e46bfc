namespace Footage.Server.Repair;

/// <summary>What the repair did with one orphaned object: registered, skipped (and why), a conflict, or (dry run) what it would do.</summary>
public sealed record RepairOutcome(string Action, string Detail);
