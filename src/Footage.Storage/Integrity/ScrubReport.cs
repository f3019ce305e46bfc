namespace Footage.Storage.Integrity;

/// <summary>What a scrub pass or reconciliation looked at and found (findings by kind).</summary>
public sealed class ScrubReport
{
    public int Objects { get; set; }

    public long Bytes { get; set; }

    public int Skipped { get; set; }

    public Dictionary<string, int> Findings { get; } = new(StringComparer.Ordinal);

    public void Found(string kind) => Findings[kind] = Findings.GetValueOrDefault(kind) + 1;
}
