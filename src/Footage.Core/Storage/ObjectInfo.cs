namespace Footage.Core.Storage;

/// <summary>An object in a bucket of a backend.</summary>
public sealed record ObjectInfo(string Key, long Size, DateTimeOffset LastModified);
