namespace Footage.Evidence;

/// <summary>One video or manifest as found in the package: its size and SHA-256, and the SHA-256 the signed files give for it.</summary>
public sealed record EvidenceFileCheck(string File, long SizeBytes, string Sha256, string? ExpectedSha256, bool Matches);
