using System.Text.Json.Serialization;
using Footage.Evidence;
using Footage.Storage.Evidence;

namespace Footage.Storage.Exports;

/// <summary>
/// What an export contains and where it came from: each camera's video with its SHA-256, the source segments with their
/// SHA-256 as catalogued (and verified while stitching), who asked, when and why, and the key that signs it. Stored beside
/// the export and, signed, inside its evidence package.
/// </summary>
public sealed record ExportManifest(
    Guid ExportId,
    string CreatedBy,
    string? Reason,
    DateTimeOffset RequestedStart,
    DateTimeOffset RequestedEnd,
    DateTimeOffset CreatedAt,
    DateTimeOffset CompletedAt,
    IReadOnlyList<StitchedCamera> Cameras,
    string SigningKeySha256)
{
    [JsonPropertyOrder(-2)]
    public string Kind { get; } = "export";

    [JsonPropertyOrder(-1)]
    public int FormatVersion { get; } = 1;

    public string SignatureAlgorithm { get; } = EvidenceFiles.Algorithm;
}
