using System.Text.Json.Nodes;

namespace Footage.Metadata.Custody;

/// <summary>One link of an incident's custody chain. <see cref="Hash"/> covers every other field and the previous hash.</summary>
public sealed record CustodyEntry(
    Guid Id,
    Guid IncidentId,
    int Sequence,
    string Action,
    string Actor,
    DateTimeOffset OccurredAt,
    JsonObject Details,
    string PreviousHash,
    string Hash);
