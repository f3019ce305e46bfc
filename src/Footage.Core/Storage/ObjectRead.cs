namespace Footage.Core.Storage;

/// <summary>An open read of an object or of a byte range of it. Dispose it to release the stream.</summary>
public sealed class ObjectRead(Stream content, long totalLength, ByteRange? range, DateTimeOffset lastModified) : IAsyncDisposable
{
    public Stream Content { get; } = content;

    /// <summary>Length of the whole object.</summary>
    public long TotalLength { get; } = totalLength;

    /// <summary>The range being read, or null for the whole object.</summary>
    public ByteRange? Range { get; } = range;

    public DateTimeOffset LastModified { get; } = lastModified;

    public long ContentLength => Range?.Length ?? TotalLength;

    public ValueTask DisposeAsync() => Content.DisposeAsync();
}
