using System.Diagnostics;
using System.Globalization;
using System.Text;
using CsCheck;
using Footage.Hardening.Tests.Api;
using Footage.ServiceDefaults;
using Footage.ServiceDefaults.Audit;
using Footage.Testing;
using Microsoft.Extensions.Options;
using Xunit;

namespace Footage.Hardening.Tests.BadInput;

/// <summary>
/// Every operation of the host's OpenAPI document, fed generated bad input as an admin (so that nothing stops
/// short at authorisation). Whatever arrives, the answer is never a 5xx, every 4xx is problem details, and a
/// refused request leaves every table and every stored file as it was.
/// <c>Footage__Hardening__Cases</c> sets the number of cases per operation; <c>Footage__Hardening__Seed</c> the seed.
/// </summary>
public abstract class BadInputTests(DatabaseKind database, PostgresServer postgres, int defaultCasesPerOperation, ITestOutputHelper output) : IAsyncLifetime
{
    private HardeningHost _host = null!;

    public async ValueTask InitializeAsync() => _host = await HardeningHost.StartAsync(database, postgres);

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Every_documented_operation_answers_generated_bad_input_with_4xx_problem_details_and_changes_nothing()
    {
        var cases = int.TryParse(Environment.GetEnvironmentVariable("Footage__Hardening__Cases"), CultureInfo.InvariantCulture, out var n) ? n : defaultCasesPerOperation;
        var seed = ulong.TryParse(Environment.GetEnvironmentVariable("Footage__Hardening__Seed"), CultureInfo.InvariantCulture, out var s) ? s : 20261124UL;
        var operations = _host.Surface.Operations.OrderBy(o => o.Method == "DELETE" ? 1 : 0).ToArray();
        Assert.True(operations.Length >= 40, $"the OpenAPI document lists only {operations.Length} operations");
        Assert.Contains(operations, o => o.PathTemplate.StartsWith("/api/v1/milestone/", StringComparison.Ordinal));

        var maxBody = _host.Server.Get<IOptions<FootageOptions>>().Value.MaxRequestBodyBytes;
        var generator = new BadRequestGenerator(_host.Surface, _host.Seeds, maxBody);
        var client = _host.Server.Admin;
        var failures = new List<string>();
        var statuses = new SortedDictionary<int, int>();
        var accepted = new List<string>();
        var total = 0;
        var clock = Stopwatch.StartNew();
        var baseline = await _host.SnapshotAsync();
        Guid? lastAudited = (await LatestAuditEntryAsync())?.Id;

        foreach (var operation in operations)
        {
            var pcg = new PCG((uint)StableHash(operation.Key), seed);
            var gen = generator.For(operation);
            for (var i = 0; i < cases; i++)
            {
                var request = gen.Generate(pcg, null, out _);
                total++;
                using var message = request.ToRequest();
                using var response = await client.SendAsync(message);
                var status = (int)response.StatusCode;
                var body = await response.Content.ReadAsStringAsync();
                statuses[status] = statuses.GetValueOrDefault(status) + 1;
                if (status >= 500)
                {
                    failures.Add($"{operation}: {status} for {request}\n    {Shorten(body)}");
                    baseline = await _host.SnapshotAsync();
                    continue;
                }

                if (status >= 400)
                {
                    var type = response.Content.Headers.ContentType?.MediaType;
                    if (type != "application/problem+json" && !RefusedByTheServerItself(response))
                    {
                        failures.Add($"{operation}: {status} as {type ?? "no content type"} (not problem details) for {request}\n    {Shorten(body)}");
                    }
                }

                if (status >= 400)
                {
                    var after = await _host.SnapshotAsync();
                    if (after != baseline)
                    {
                        failures.Add($"{operation}: {status} changed the stored state for {request}\n    {StateSnapshot.Difference(baseline, after)}");
                        baseline = after;
                    }
                }
                else if (operation.ChangesState)
                {
                    accepted.Add($"{operation.Key} {status} [{request.Kind}]");
                    var audited = await LatestAuditEntryAsync();
                    if (audited is null || audited.Id == lastAudited || audited.Method != operation.Method || audited.Status != status)
                    {
                        failures.Add($"{operation}: the accepted change ({status}) is not in the audit log: {request}");
                    }

                    lastAudited = audited?.Id;
                    baseline = await SettledSnapshotAsync();
                }
                else
                {
                    baseline = await _host.SnapshotAsync(); // reading an incident or downloading an export is written to its chain of custody
                }
            }
        }

        clock.Stop();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{database}: {total} generated requests over {operations.Length} operations in {clock.Elapsed.TotalSeconds:F1} s; statuses: {string.Join(", ", statuses.Select(kv => $"{kv.Key}×{kv.Value}"))}; accepted changes: {accepted.Count}; failures: {failures.Count}"));
        foreach (var line in accepted.GroupBy(a => a).Select(g => $"  accepted {g.Key} ×{g.Count()}"))
        {
            output.WriteLine(line);
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {total} generated requests misbehaved:\n" + string.Join("\n", failures.Take(40)));
    }

    /// <summary>
    /// Kestrel itself refuses a request line over 8 KB (414), headers over 32 KB (431) or a NUL in the path (400) before
    /// any of our code runs, with an empty body: no middleware ran, so not even the security headers are there.
    /// </summary>
    private static bool RefusedByTheServerItself(HttpResponseMessage response) =>
        (int)response.StatusCode is 400 or 414 or 431 && !response.Headers.Contains("X-Content-Type-Options") && response.Content.Headers.ContentLength is 0 or null;

    private async Task<AuditEntry?> LatestAuditEntryAsync()
    {
        var latest = await _host.Server.Get<AuditLog>().ListAsync(null, null, null, 1, CancellationToken.None, AuditOutcome.Changed);
        return latest.Count > 0 ? latest[0] : null;
    }

    /// <summary>After an accepted change, work it started in the background (an export being stitched) may still be writing.</summary>
    private async Task<string> SettledSnapshotAsync()
    {
        var previous = await _host.SnapshotAsync();
        for (var i = 0; i < 60; i++)
        {
            await Task.Delay(250);
            var next = await _host.SnapshotAsync();
            if (next == previous)
            {
                return next;
            }

            previous = next;
        }

        return previous;
    }

    private static string Shorten(string text) => text.Length > 400 ? text[..400] + "..." : text;

    private static int StableHash(string text)
    {
        var hash = 17;
        foreach (var c in Encoding.UTF8.GetBytes(text))
        {
            hash = unchecked((hash * 31) + c);
        }

        return hash & 0x7FFFFFFF;
    }
}

/// <summary>
/// SQLite, the default store: the full run. 30 cases per operation in CI (each case is a request and a snapshot of every
/// table and file, about 2 700 of them; the tables are read again only when <see cref="DatabaseChangeMarker"/> says the
/// database may have changed); <c>Footage__Hardening__Long=true</c> runs 150.
/// </summary>
public sealed class SqliteBadInputTests(PostgresServer postgres, ITestOutputHelper output)
    : BadInputTests(DatabaseKind.Sqlite, postgres, Faults.FaultRun.Long ? 150 : 30, output);

/// <summary>PostgreSQL: a shorter run of the same cases (types and errors differ by engine).</summary>
public sealed class PostgresBadInputTests(PostgresServer postgres, ITestOutputHelper output)
    : BadInputTests(DatabaseKind.Postgres, postgres, Faults.FaultRun.Long ? 50 : 12, output);
