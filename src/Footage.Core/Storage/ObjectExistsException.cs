namespace Footage.Core.Storage;

/// <summary>A write-once bucket already holds different bytes under the key; nothing was written and the stored object is unchanged.</summary>
public sealed class ObjectExistsException(string bucket, string key, string? existingSha256)
    : IOException($"Object '{bucket}/{key}' already holds other bytes{(existingSha256 is null ? string.Empty : $" (SHA-256 {existingSha256})")}; stored footage is never overwritten.")
{
    public string Bucket { get; } = bucket;

    public string Key { get; } = key;

    public string? ExistingSha256 { get; } = existingSha256;
}
