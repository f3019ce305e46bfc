namespace Footage.Bench.Capacity;

/// <summary>One input of the model: its value and where it comes from (a benchmark's results file, a setting, an assumption).</summary>
public sealed record Figure(string Name, double Value, string Unit, string Source);
