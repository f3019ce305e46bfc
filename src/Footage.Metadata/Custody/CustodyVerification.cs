namespace Footage.Metadata.Custody;

/// <summary>The result of recomputing an incident's custody chain: valid, or where it first breaks and why.</summary>
public sealed record CustodyVerification(
    Guid IncidentId,
    bool Valid,
    int Entries,
    string? LastHash,
    int? FirstBrokenSequence,
    Guid? FirstBrokenEntryId,
    string? Reason);
