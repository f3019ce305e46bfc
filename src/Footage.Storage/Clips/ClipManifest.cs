using System.Text.Json.Serialization;
using Footage.Evidence;
using Footage.Storage.Evidence;

namespace Footage.Storage.Clips;

/// <summary>
/// What a clip contains and where it came from: the incident (its range and cameras as they were when the clip was made),
/// the margin and the range saved, each camera's video with its SHA-256 and the recorded segments it was made from with
/// theirs, the incident's cameras that recorded nothing in that range, who asked, when and why, and the signing key.
/// </summary>
public sealed record ClipManifest(
    Guid ClipId,
    Guid IncidentId,
    string IncidentTitle,
    DateTimeOffset IncidentStart,
    DateTimeOffset IncidentEnd,
    int MarginSeconds,
    DateTimeOffset StartTime,
    DateTimeOffset EndTime,
    string CreatedBy,
    string Reason,
    DateTimeOffset CreatedAt,
    DateTimeOffset CompletedAt,
    IReadOnlyList<StitchedCamera> Cameras,
    IReadOnlyList<Guid> CamerasWithoutFootage,
    string SigningKeySha256)
{
    [JsonPropertyOrder(-2)]
    public string Kind { get; } = "clip";

    [JsonPropertyOrder(-1)]
    public int FormatVersion { get; } = 1;

    public string SignatureAlgorithm { get; } = EvidenceFiles.Algorithm;
}
