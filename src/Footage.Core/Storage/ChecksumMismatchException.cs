namespace Footage.Core.Storage;

/// <summary>The bytes written do not hash to the SHA-256 the caller expected; nothing was stored.</summary>
public sealed class ChecksumMismatchException(string key, string expected, string actual)
    : IOException($"Object '{key}': expected SHA-256 {expected}, wrote {actual}; the write was discarded.")
{
    public string Key { get; } = key;

    public string Expected { get; } = expected;

    public string Actual { get; } = actual;
}
