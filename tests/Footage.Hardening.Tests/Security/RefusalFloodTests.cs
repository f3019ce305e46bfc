using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Footage.ServiceDefaults.Audit;
using Footage.Testing;
using Xunit;

namespace Footage.Hardening.Tests.Security;

/// <summary>
/// A flood of refused requests does not fill the audit log: with at most 3 entries of their own per address and 4 in all
/// per window, 400 refusals from five addresses are 9 entries (3 + 1 itemised, one coalesced count per address up to 4
/// addresses, one for the rest), whose attempts add up to exactly 400.
/// </summary>
public sealed class RefusalFloodTests(ITestOutputHelper output) : IAsyncLifetime
{
    private FootageServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await FootageServer.StartAsync(DatabaseKind.Sqlite, settings: new Dictionary<string, string?>
    {
        ["Footage:Security:RefusedAudit:EntriesPerAddress"] = "3",
        ["Footage:Security:RefusedAudit:Entries"] = "4",
        ["Footage:Security:RefusedAudit:Window"] = "00:10:00", // one window for the whole flood, however slow the machine
    });

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Four_hundred_refusals_from_five_addresses_are_nine_entries_that_count_every_one()
    {
        var sent = new (string Address, int Count)[] { ("127.0.0.1", 200), ("127.0.0.2", 50), ("127.0.0.3", 50), ("127.0.0.4", 50), ("127.0.0.5", 50) };
        foreach (var (address, count) in sent)
        {
            using var client = ClientFrom.Address(_server.BaseAddress, address);
            for (var i = 0; i < count; i++)
            {
                using var response = await client.GetAsync($"api/v1/cameras/{Guid.NewGuid()}");
                Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode); // no credentials is not a guess: never 429
            }
        }

        // the coalesced counts are written within a second or so
        JsonElement[] entries = [];
        for (var i = 0; i < 120; i++)
        {
            entries = (await _server.Admin.GetFromJsonAsync<JsonElement>("api/v1/audit?outcome=refused&limit=1000")).EnumerateArray().ToArray();
            if (entries.Sum(e => e.GetProperty("attempts").GetInt32()) >= 400)
            {
                break;
            }

            await Task.Delay(250);
        }

        output.WriteLine($"400 refused requests from 5 addresses: {entries.Length} audit entries");
        foreach (var e in entries.OrderBy(e => e.GetProperty("remote_ip").GetString(), StringComparer.Ordinal))
        {
            output.WriteLine($"  {e.GetProperty("remote_ip")} attempts {e.GetProperty("attempts")} {e.GetProperty("reason")}");
        }

        Assert.Equal(400, entries.Sum(e => e.GetProperty("attempts").GetInt32()));
        Assert.Equal(9, entries.Length);
        Assert.True(entries.Length <= (2 * 4) + 1);
        int[] Attempts(string? address) => entries.Where(e => e.GetProperty("remote_ip").GetString() == address)
            .Select(e => e.GetProperty("attempts").GetInt32()).Order().ToArray();
        Assert.Equal([1, 1, 1, 197], Attempts("127.0.0.1"));
        Assert.Equal([1, 49], Attempts("127.0.0.2"));
        Assert.Equal([50], Attempts("127.0.0.3"));
        Assert.Equal([50], Attempts("127.0.0.4"));
        var rest = Assert.Single(entries, e => e.GetProperty("remote_ip").ValueKind == JsonValueKind.Null);
        Assert.Equal(50, rest.GetProperty("attempts").GetInt32());
        Assert.Equal("from many addresses", rest.GetProperty("reason").GetString());
        var coalesced = entries.Single(e => e.GetProperty("attempts").GetInt32() == 197);
        Assert.True(coalesced.GetProperty("last_at").GetDateTimeOffset() >= coalesced.GetProperty("occurred_at").GetDateTimeOffset());
        Assert.Equal("no credentials", coalesced.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Old_refusals_are_deleted_and_changes_are_kept()
    {
        var log = _server.Get<AuditLog>();
        var old = TimeProvider.System.GetUtcNow().AddDays(-91);
        var change = new AuditEntry(Guid.NewGuid(), old, "admin", "admin", null, "POST", "/api/v1/cameras", "/api/v1/cameras", 201, "127.0.0.1");
        var refusal = change with { Id = Guid.NewGuid(), Actor = "anonymous", Role = null, Status = 401, Outcome = AuditOutcome.Refused, Reason = "no credentials" };
        await log.AppendAsync(change, CancellationToken.None);
        await log.AppendAsync(refusal, CancellationToken.None);

        Assert.Equal(1, await log.DeleteRefusedBeforeAsync(TimeProvider.System.GetUtcNow().AddDays(-90), CancellationToken.None));
        var left = await log.ListAsync(null, old.AddSeconds(1), null, 10, CancellationToken.None);
        Assert.Equal(change.Id, Assert.Single(left).Id);
    }
}
