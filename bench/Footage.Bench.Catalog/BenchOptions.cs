using System.Globalization;

namespace Footage.Bench.Catalog;

/// <summary>Command-line settings: the size of the catalog and how many operations each measurement runs.</summary>
public sealed record BenchOptions
{
    public int Cameras { get; init; } = 500;

    public int Days { get; init; } = 90;

    /// <summary>The newest days whose rows carry a full key-frame index (the rest have none, to keep the load on disk bounded).</summary>
    public int KeyframeDays { get; init; } = 7;

    public int Writers { get; init; } = 8;

    public int SingleWriterRegistrations { get; init; } = 5_000;

    public int ConcurrentRegistrations { get; init; } = 20_000;

    public int ApiSingleWriterRegistrations { get; init; } = 2_000;

    public int ApiConcurrentRegistrations { get; init; } = 8_000;

    /// <summary>Distinct camera-days listed for the first time after a restart of PostgreSQL.</summary>
    public int ColdSamples { get; init; } = 1_000;

    public int WarmSamples { get; init; } = 5_000;

    public bool Quick { get; init; }

    /// <summary>Where to write the results section; the full run writes docs/benchmarks.md, a quick run nothing unless asked.</summary>
    public string? DocPath { get; init; }

    public long Rows => (long)Cameras * Days * 24;

    public const string Usage =
        "usage: dotnet run -c Release --project bench/Footage.Bench.Catalog -- [--quick] [--cameras 500] [--days 90] [--keyframe-days 7] " +
        "[--writers 8] [--cold-samples 1000] [--warm-samples 5000] [--doc docs/benchmarks.md | --no-doc]";

    public static BenchOptions Parse(IReadOnlyList<string> args, string repositoryRoot)
    {
        var quick = args.Contains("--quick");
        var options = quick
            ? new BenchOptions
            {
                Quick = true, Cameras = 20, Days = 3, KeyframeDays = 1, SingleWriterRegistrations = 300, ConcurrentRegistrations = 1_200,
                ApiSingleWriterRegistrations = 100, ApiConcurrentRegistrations = 400, ColdSamples = 25, WarmSamples = 200,
            }
            : new BenchOptions { DocPath = Path.Combine(repositoryRoot, "docs", "benchmarks.md") };

        for (var i = 0; i < args.Count; i++)
        {
            string Next() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.\n{Usage}");
            int NextInt() => int.TryParse(Next(), NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0
                ? v
                : throw new ArgumentException($"{args[i - 1]} needs a positive whole number.\n{Usage}");

            options = args[i] switch
            {
                "--quick" => options,
                "--cameras" => options with { Cameras = NextInt() },
                "--days" => options with { Days = NextInt() },
                "--keyframe-days" => options with { KeyframeDays = NextInt() },
                "--writers" => options with { Writers = NextInt() },
                "--cold-samples" => options with { ColdSamples = NextInt() },
                "--warm-samples" => options with { WarmSamples = NextInt() },
                "--doc" => options with { DocPath = Path.GetFullPath(Next()) },
                "--no-doc" => options with { DocPath = null },
                _ => throw new ArgumentException($"Unknown argument '{args[i]}'.\n{Usage}"),
            };
        }

        var registrationSlots = (long)options.Cameras * 24 * SyntheticSegments.DaysAfterLoad;
        var needed = (long)options.SingleWriterRegistrations + options.ConcurrentRegistrations + options.ApiSingleWriterRegistrations + options.ApiConcurrentRegistrations;
        if (needed > registrationSlots)
        {
            throw new ArgumentException($"{needed} registrations need more hours than {options.Cameras} cameras have in {SyntheticSegments.DaysAfterLoad} days.");
        }

        if (2L * options.ColdSamples > (long)options.Cameras * options.Days)
        {
            throw new ArgumentException($"--cold-samples {options.ColdSamples} needs two distinct sets of camera-days; there are only {(long)options.Cameras * options.Days}.");
        }

        return options;
    }
}
