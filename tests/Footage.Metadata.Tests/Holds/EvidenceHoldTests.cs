using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Footage.Metadata.Tests.Support;
using Footage.Testing;
using Xunit;
using static Footage.Metadata.Tests.Support.MetadataClient;

namespace Footage.Metadata.Tests.Holds;

/// <summary>Hosts whose closed incidents release their footage at once (<c>EvidenceHoldAfterClose</c> of zero).</summary>
public sealed class NoHoldAfterCloseHosts(PostgresServer postgres) : Hosts(postgres)
{
    protected override IDictionary<string, string?>? Settings => new Dictionary<string, string?>
    {
        ["Footage:Metadata:EvidenceHoldAfterClose"] = "00:00:00",
    };
}

/// <summary>
/// Evidence holds against the real retention job of the Storage module, both modules in one host: footage an
/// open incident covers survives retention and DELETE, and goes once the incident is closed and its hold over.
/// </summary>
public abstract class EvidenceHoldTests(DatabaseKind database, NoHoldAfterCloseHosts noHold, Hosts defaults) : IClassFixture<NoHoldAfterCloseHosts>, IClassFixture<Hosts>
{
    private static readonly DateTimeOffset LongAgo = new(2025, 6, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Footage_of_an_open_incident_survives_retention_and_goes_after_the_incident_is_closed()
    {
        var server = await noHold.GetAsync(database);
        var op = await server.ClientAsync("operator");
        var camera = Guid.NewGuid();
        var held = await server.RegisterSegmentAsync(camera, LongAgo, LongAgo.AddHours(1));
        var unheld = await server.RegisterSegmentAsync(Guid.NewGuid(), LongAgo, LongAgo.AddHours(1));
        var sameCameraLater = await server.RegisterSegmentAsync(camera, LongAgo.AddHours(2), LongAgo.AddHours(3));
        var incident = await op.CreateIncidentAsync(new
        {
            title = "Hit and run", severity = "HIGH", camera_ids = new[] { camera },
            start_time = Iso(LongAgo.AddMinutes(30)), end_time = Iso(LongAgo.AddMinutes(40)),
        });

        var segment = await op.GetFromJsonAsync<JsonElement>($"api/v1/storage/segments/by-id/{held.Id()}");
        Assert.True(segment.GetProperty("evidence_hold").GetBoolean());
        Assert.Contains(incident.Id().ToString(), segment.GetProperty("hold_reason").GetString());
        await (await op.DeleteAsync($"api/v1/storage/segments/{held.Id()}")).AssertProblemAsync(HttpStatusCode.Conflict);

        (await server.Admin.PostAsync("api/v1/storage/retention/run", null)).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.OK, (await op.GetAsync($"api/v1/storage/segments/by-id/{held.Id()}")).StatusCode);
        await (await op.GetAsync($"api/v1/storage/segments/by-id/{unheld.Id()}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await op.GetAsync($"api/v1/storage/segments/by-id/{sameCameraLater.Id()}")).AssertProblemAsync(HttpStatusCode.NotFound);

        // investigating still holds; closing with no hold period releases it
        (await op.PatchJsonAsync($"api/v1/metadata/incidents/{incident.Id()}", new { status = "INVESTIGATING" })).EnsureSuccessStatusCode();
        (await server.Admin.PostAsync("api/v1/storage/retention/run", null)).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.OK, (await op.GetAsync($"api/v1/storage/segments/by-id/{held.Id()}")).StatusCode);

        var closed = await (await op.PatchJsonAsync($"api/v1/metadata/incidents/{incident.Id()}", new { status = "CLOSED" })).AssertJsonAsync(HttpStatusCode.OK);
        Assert.False(closed.GetProperty("evidence_hold").GetBoolean());
        Assert.False((await op.GetFromJsonAsync<JsonElement>($"api/v1/storage/segments/by-id/{held.Id()}")).GetProperty("evidence_hold").GetBoolean());
        (await server.Admin.PostAsync("api/v1/storage/retention/run", null)).EnsureSuccessStatusCode();
        await (await op.GetAsync($"api/v1/storage/segments/by-id/{held.Id()}")).AssertProblemAsync(HttpStatusCode.NotFound);

        // the incident and its custody log outlive the footage
        Assert.True((await op.GetFromJsonAsync<JsonElement>($"api/v1/metadata/incidents/{incident.Id()}/custody/verify")).GetProperty("valid").GetBoolean());
    }

    [Fact]
    public async Task A_closed_incident_keeps_holding_for_the_configured_period()
    {
        var server = await defaults.GetAsync(database);
        var op = await server.ClientAsync("operator");
        var camera = Guid.NewGuid();
        var held = await server.RegisterSegmentAsync(camera, LongAgo, LongAgo.AddHours(1));
        var incident = await op.CreateIncidentAsync(new
        {
            title = "Vandalism", severity = "LOW", status = "CLOSED", camera_ids = new[] { camera },
            start_time = Iso(LongAgo), end_time = Iso(LongAgo.AddMinutes(5)),
        });
        Assert.True(incident.GetProperty("evidence_hold").GetBoolean());
        var closedAt = incident.GetProperty("closed_at").GetDateTimeOffset();
        Assert.Equal(closedAt.AddDays(30), incident.GetProperty("evidence_hold_until").GetDateTimeOffset());

        (await server.Admin.PostAsync("api/v1/storage/retention/run", null)).EnsureSuccessStatusCode();
        var segment = await op.GetFromJsonAsync<JsonElement>($"api/v1/storage/segments/by-id/{held.Id()}");
        Assert.True(segment.GetProperty("evidence_hold").GetBoolean());
        Assert.Contains("closed", segment.GetProperty("hold_reason").GetString());
        await (await op.DeleteAsync($"api/v1/storage/segments/{held.Id()}")).AssertProblemAsync(HttpStatusCode.Conflict);
    }
}

public sealed class SqliteEvidenceHoldTests(NoHoldAfterCloseHosts noHold, Hosts defaults) : EvidenceHoldTests(DatabaseKind.Sqlite, noHold, defaults);

public sealed class PostgresEvidenceHoldTests(NoHoldAfterCloseHosts noHold, Hosts defaults) : EvidenceHoldTests(DatabaseKind.Postgres, noHold, defaults);
