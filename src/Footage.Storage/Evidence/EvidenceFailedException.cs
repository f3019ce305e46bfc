namespace Footage.Storage.Evidence;

/// <summary>An export or a clip cannot be made for a reason the requester should read (no footage, a corrupt segment).</summary>
public sealed class EvidenceFailedException(string message) : Exception(message);
