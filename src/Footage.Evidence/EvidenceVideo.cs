namespace Footage.Evidence;

/// <summary>A video of a package: its name in the zip, the local file, and the SHA-256 the manifest gives for it.</summary>
public sealed record EvidenceVideo(string Name, string LocalPath, string Sha256);
