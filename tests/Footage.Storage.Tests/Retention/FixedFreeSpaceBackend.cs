using Footage.Core.Storage;
using Footage.Storage.Tests.Backends;

namespace Footage.Storage.Tests.Retention;

/// <summary>
/// A real backend that reports a free-space figure the test chooses: the machine's disk is shared with other
/// work, so its real free space moves by megabytes between two reads and cannot drive an exact test.
/// </summary>
internal sealed class FixedFreeSpaceBackend(IStorageBackend inner, Func<long> freeBytes) : DelegatingBackend(inner)
{
    public override long? GetAvailableFreeBytes() => freeBytes();
}
