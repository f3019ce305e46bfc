using Footage.Core.Storage;
using Footage.Core.Time;

namespace Footage.Core.Segments;

/// <summary>Whether a catalogued segment is the very recording offered again (a retried upload or registration).</summary>
public static class SegmentIdentity
{
    /// <summary>Same times, size and SHA-256, stored under the same key or moved to that key's held copy.</summary>
    public static bool Matches(Segment existing, NewSegment candidate) =>
        existing.EndTime == Instants.Normalize(candidate.EndTime) && existing.SizeBytes == candidate.SizeBytes &&
        existing.StorageBackend == candidate.StorageBackend &&
        (existing.StoragePath == candidate.StoragePath ||
         (existing.StorageBucket == StorageBuckets.Clips && existing.StoragePath == ObjectKeys.ForHeldCopy(candidate.StoragePath))) &&
        string.Equals(existing.Checksum, candidate.Checksum, StringComparison.OrdinalIgnoreCase);
}
