namespace Footage.Evidence;

/// <summary>The file is not a zip archive at all, so there is no package to verify.</summary>
public sealed class EvidenceFormatException(string message, Exception? inner = null) : Exception(message, inner);
