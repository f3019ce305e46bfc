namespace Footage.Core.Storage;

/// <summary>The outcome of a verified write: the object's size and SHA-256 (lower-case hex).</summary>
public sealed record StoredObject(string Key, long Size, string Sha256);
