namespace Footage.Core.Storage;

/// <summary>The spec's four buckets; the filesystem backend uses the same names as folders.</summary>
public static class StorageBuckets
{
    public const string Recordings = "cctv-recordings";
    public const string Exports = "cctv-exports";
    public const string Thumbnails = "cctv-thumbnails";
    public const string Clips = "cctv-clips";

    public static readonly IReadOnlyList<string> All = [Recordings, Exports, Thumbnails, Clips];

    /// <summary>
    /// Footage buckets are written once: a write never replaces an object there (the backend refuses it with
    /// <see cref="ObjectExistsException"/> unless the bytes are the same). Exports and thumbnails are made again on a retry.
    /// </summary>
    public static bool IsWriteOnce(string bucket) => bucket is Recordings or Clips;
}
