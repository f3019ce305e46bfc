using System.Diagnostics;
using Footage.Metadata.Search.Unified;

namespace Footage.Bench.Search;

/// <summary>
/// The search over every kind (<see cref="UnifiedSearch"/>, the query behind <c>GET /api/v1/metadata/search</c>): kinds of
/// query an investigator types, each with a different random word, plate or filter value, a page of 50 with snippets.
/// </summary>
public sealed class EverythingBench(UnifiedSearch search, Vocabulary words, Guid[] cameras, DateTimeOffset now)
{
    /// <summary>
    /// With <paramref name="compare"/>, every query also runs with the text index forced (how every search ran before the
    /// planner), the two alternating so that both meet the same machine, and both pages must be the same.
    /// </summary>
    public async Task<List<string>> RunAsync(int queries, bool compare = false)
    {
        var random = new Random(23);
        string Plate() => $"{(char)('A' + random.Next(26))}-{random.Next(100)}";
        var mixes = new (string Name, Func<UnifiedSearchQuery> Make)[]
        {
            ("a plate as typed (K-71), every kind, no filter", () => UnifiedSearchQuery.ForText(Plate())),
            ("a plate's prefix (K-7*), every kind, no filter", () => UnifiedSearchQuery.ForText(Plate()[..3] + "*")),
            ("a rare word (rank 1000-5000), every kind, no filter", () => UnifiedSearchQuery.ForText(words[random.Next(1000, words.Count)])),
            ("a word of middling frequency (rank 64-1000) + one camera + last 30 days", () => UnifiedSearchQuery.ForText(words[random.Next(64, 1000)]) with
            {
                CameraIds = [cameras[random.Next(cameras.Length)]], From = now.AddDays(-30), To = now,
            }),
            ("a phrase of two common words + one camera, notes only", () => UnifiedSearchQuery.ForText($"\"{words[random.Next(0, 64)]} {words[random.Next(0, 64)]}\"") with
            {
                CameraIds = [cameras[random.Next(cameras.Length)]], Kinds = [SearchKind.Annotation],
            }),
            ("a word of middling frequency (rank 64-1000), every kind, no filter", () => UnifiedSearchQuery.ForText(words[random.Next(64, 1000)])),
        };

        var lines = new List<string>();
        foreach (var (name, make) in mixes)
        {
            for (var i = 0; i < 20; i++)
            {
                await search.SearchAsync(make(), CancellationToken.None);
            }

            var latencies = new List<double>(queries);
            var forced = new List<double>(queries);
            var choices = new Dictionary<string, int>(StringComparer.Ordinal);
            var hits = 0L;
            var differing = 0;
            for (var i = 0; i < queries; i++)
            {
                var query = make();
                var pages = new List<string>();
                for (var turn = 0; turn < (compare ? 2 : 1); turn++)
                {
                    var chosen = !compare || turn == i % 2;
                    var started = Stopwatch.GetTimestamp();
                    var ((page, more), choice) = await search.SearchAsync(query, UnifiedSearchPlan.TagsApart, chosen ? null : UnifiedTextAccess.TextIndex, CancellationToken.None);
                    (chosen ? latencies : forced).Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    pages.Add(string.Join(",", page.Select(h => $"{h.Kind}:{h.Id}:{h.Rank}")) + $" more={more}");
                    if (chosen)
                    {
                        hits += page.Count;
                        var key = $"{choice.Top}/{choice.Ranked}";
                        choices[key] = choices.GetValueOrDefault(key) + 1;
                    }
                }

                differing += pages.Distinct(StringComparer.Ordinal).Count() - 1;
            }

            latencies.Sort();
            forced.Sort();
            var line = $"| {name} | {Percentile(latencies, 50):F1} | {Percentile(latencies, 99):F1} | {latencies[^1]:F1} | {hits / (double)queries:F1} |"
                + (compare ? $" {Percentile(forced, 50):F1} | {Percentile(forced, 99):F1} | {Percentile(latencies, 99) / Percentile(forced, 99):F2} | {differing} |" : "")
                + $" {string.Join(", ", choices.OrderByDescending(c => c.Value).Select(c => $"{c.Key} {c.Value}"))} |";
            lines.Add(line);
            Console.WriteLine(line);
        }

        return lines;
    }

    private static double Percentile(List<double> sorted, int p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p / 100.0 * sorted.Count) - 1)];
}
