namespace Footage.Storage.Integrity;

/// <summary>What the integrity scrub can find.</summary>
public static class FindingKinds
{
    /// <summary>The object's bytes no longer hash to the SHA-256 the catalog recorded.</summary>
    public const string HashMismatch = "hash_mismatch";

    /// <summary>The object has another size than the catalog recorded.</summary>
    public const string SizeMismatch = "size_mismatch";

    /// <summary>A catalog row whose object is not in its bucket.</summary>
    public const string MissingObject = "missing_object";

    /// <summary>An object in a footage bucket that no catalog row points at.</summary>
    public const string OrphanObject = "orphan_object";

    public static readonly IReadOnlyList<string> All = [HashMismatch, SizeMismatch, MissingObject, OrphanObject];
}
