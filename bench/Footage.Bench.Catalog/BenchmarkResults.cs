namespace Footage.Bench.Catalog;

/// <summary>Everything a run found out, for the console table and the markdown section.</summary>
public sealed class BenchmarkResults
{
    public required BenchOptions Options { get; init; }

    public required string Command { get; init; }

    public required DateTimeOffset RunAt { get; init; }

    public string PostgresVersion { get; set; } = "";

    public IReadOnlyList<(string Name, string Value)> PostgresSettings { get; set; } = [];

    public long Rows { get; set; }

    public long KeyframeRows { get; set; }

    public int KeyframeJsonLength { get; set; }

    public TimeSpan CopyElapsed { get; set; }

    /// <summary>The part of <see cref="CopyElapsed"/> spent on the older rows, which have no key-frame index.</summary>
    public TimeSpan CopyWithoutKeyframesElapsed { get; set; }

    public TimeSpan VacuumElapsed { get; set; }

    public string LoadAverageAtStart { get; set; } = "";

    public string LoadAverageAtEnd { get; set; } = "";

    public string SizeAfterLoad { get; set; } = "";

    public string SizeAtEnd { get; set; } = "";

    public (long Table, long Indexes, long Toast) SizeAfterLoadBytes { get; set; }

    public string ListPlan { get; set; } = "";

    public string ListPlanNewestDay { get; set; } = "";

    public IReadOnlyDictionary<string, long> ListIndexScans { get; set; } = new Dictionary<string, long>();

    public List<Measurement> Registrations { get; } = [];

    public List<Measurement> Lists { get; } = [];

    public double CopyRowsPerSecond => Rows / CopyElapsed.TotalSeconds;

    public double CopyRowsWithoutKeyframesPerSecond => (Rows - KeyframeRows) / CopyWithoutKeyframesElapsed.TotalSeconds;

    public double CopyRowsWithKeyframesPerSecond => KeyframeRows / (CopyElapsed - CopyWithoutKeyframesElapsed).TotalSeconds;
}
