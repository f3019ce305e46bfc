namespace Footage.Core.Storage;

/// <summary>An inclusive byte range [From, To] of an object, already resolved against its length.</summary>
public readonly record struct ByteRange(long From, long To)
{
    public long Length => To - From + 1;
}
