using System.Text.Json.Nodes;
using Footage.Metadata.Custody;
using Xunit;

namespace Footage.Metadata.Tests.Unit;

public sealed class CustodyHashTests
{
    private static readonly Guid Incident = Guid.Parse("7f3c2a1e-0000-4000-8000-000000000001");
    private static readonly DateTimeOffset At = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Canonical_json_sorts_keys_at_every_level_and_has_no_whitespace()
    {
        var a = JsonNode.Parse("""{ "b": 1, "a": { "z": [ {"y": 2, "x": 1} ], "c": null } }""");
        var b = JsonNode.Parse("""{"a":{"c":null,"z":[{"x":1,"y":2}]},"b":1}""");
        Assert.Equal("""{"a":{"c":null,"z":[{"x":1,"y":2}]},"b":1}""", CustodyHash.Canonical(a));
        Assert.Equal(CustodyHash.Canonical(a), CustodyHash.Canonical(b));
    }

    [Fact]
    public void The_hash_is_sha256_hex_and_changes_with_every_field()
    {
        var baseline = CustodyHash.Compute(Incident, 1, "CREATED", "alice", At, "{}", CustodyHash.Genesis);
        Assert.Matches("^[0-9a-f]{64}$", baseline);
        Assert.Equal(baseline, CustodyHash.Compute(Incident, 1, "CREATED", "alice", At, "{}", CustodyHash.Genesis));
        Assert.NotEqual(baseline, CustodyHash.Compute(Guid.NewGuid(), 1, "CREATED", "alice", At, "{}", CustodyHash.Genesis));
        Assert.NotEqual(baseline, CustodyHash.Compute(Incident, 2, "CREATED", "alice", At, "{}", CustodyHash.Genesis));
        Assert.NotEqual(baseline, CustodyHash.Compute(Incident, 1, "VIEWED", "alice", At, "{}", CustodyHash.Genesis));
        Assert.NotEqual(baseline, CustodyHash.Compute(Incident, 1, "CREATED", "mallory", At, "{}", CustodyHash.Genesis));
        Assert.NotEqual(baseline, CustodyHash.Compute(Incident, 1, "CREATED", "alice", At.AddTicks(10), "{}", CustodyHash.Genesis));
        Assert.NotEqual(baseline, CustodyHash.Compute(Incident, 1, "CREATED", "alice", At, """{"a":1}""", CustodyHash.Genesis));
        Assert.NotEqual(baseline, CustodyHash.Compute(Incident, 1, "CREATED", "alice", At, "{}", new string('1', 64)));
    }

    [Fact]
    public void Fields_cannot_be_shifted_into_one_another()
    {
        // a naive concatenation would make these two equal
        Assert.NotEqual(
            CustodyHash.Compute(Incident, 1, "CREATED", "alice", At, "{}", CustodyHash.Genesis),
            CustodyHash.Compute(Incident, 1, "CREATEDa", "lice", At, "{}", CustodyHash.Genesis));
    }
}
