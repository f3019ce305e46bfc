using System.Collections.Concurrent;
using Footage.Core.Segments;
using Footage.Core.Storage;
using Footage.Milestone.ImageServer;
using Footage.Milestone.Transmux;
using Footage.ServiceDefaults;
using Microsoft.Extensions.Options;

namespace Footage.Milestone.Storage;

/// <summary>
/// The read-only storage backend <c>milestone</c>: an object is a window of a Milestone camera's recording
/// (<see cref="MilestoneKeys"/>), fetched through the ImageServer and transmuxed to MPEG-TS on first read, then
/// kept in a local cache (least recently used out first). Playback's byte ranges, exports and downloads read it
/// like any other backend. Milestone's failures are <see cref="MilestoneException"/>s; <see cref="MilestoneProblems"/> says what API callers see of them.
/// </summary>
public sealed class MilestoneBackend : IStorageBackend
{
    private readonly RecordedFrameReader _reader;
    private readonly FrameTransmuxer _transmuxer;
    private readonly IOptions<MilestoneOptions> _options;
    private readonly TimeProvider _clock;
    private readonly ConcurrentDictionary<string, Lazy<Task<TransmuxedPiece?>>> _making = new(StringComparer.Ordinal);

    public MilestoneBackend(
        RecordedFrameReader reader, FrameTransmuxer transmuxer, IOptions<MilestoneOptions> options, IOptions<FootageOptions> footage, TimeProvider clock)
    {
        _reader = reader;
        _transmuxer = transmuxer;
        _options = options;
        _clock = clock;
        CacheRoot = Path.GetFullPath(options.Value.CacheDirectory is { Length: > 0 } configured
            ? configured
            : Path.Combine(FootageOptions.ResolveDataDirectory(footage.Value.DataDirectory), "milestone-cache"));
    }

    public string Name => PreferredFootage.MilestoneBackend;

    public string CacheRoot { get; }

    /// <summary>Makes (or finds in the cache) the TS file of a window; null when Milestone has no frame in it.</summary>
    public Task<TransmuxedPiece?> MaterialiseAsync(string key, CancellationToken cancellationToken)
    {
        if (!MilestoneKeys.TryParse(key, out _, out _, out _))
        {
            throw new ArgumentException($"'{key}' is not a Milestone object key.", nameof(key));
        }

        var lazy = _making.GetOrAdd(key, k => new Lazy<Task<TransmuxedPiece?>>(() => MakeAsync(k, cancellationToken)));
        return lazy.Value;
    }

    public async Task<ObjectRead?> OpenReadAsync(string bucket, string key, ByteRange? range, CancellationToken cancellationToken)
    {
        if (bucket != StorageBuckets.Recordings || !MilestoneKeys.TryParse(key, out _, out _, out _))
        {
            return null;
        }

        var path = PathOf(key);
        if (!File.Exists(path))
        {
            if (await MaterialiseAsync(key, cancellationToken) is null)
            {
                return null;
            }
        }

        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16, FileOptions.Asynchronous);
        File.SetLastAccessTimeUtc(path, _clock.GetUtcNow().UtcDateTime);
        var modified = new DateTimeOffset(File.GetLastWriteTimeUtc(path), TimeSpan.Zero);
        if (range is { } r)
        {
            stream.Seek(r.From, SeekOrigin.Begin);
            return new ObjectRead(new BoundedStream(stream, r.Length), stream.Length, r, modified);
        }

        return new ObjectRead(stream, stream.Length, null, modified);
    }

    public Task<StoredObject> PutAsync(string bucket, string key, Stream content, string? expectedSha256, CancellationToken cancellationToken) =>
        throw new NotSupportedException("Milestone footage is read-only: Milestone records it, we only read it.");

    public Task<ObjectInfo?> StatAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        var file = new FileInfo(PathOf(key));
        return Task.FromResult(bucket == StorageBuckets.Recordings && file.Exists
            ? new ObjectInfo(key, file.Length, new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero))
            : null);
    }

    /// <summary>Forgets the cached copy; the footage itself stays in Milestone, under Milestone's retention.</summary>
    public Task DeleteAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        if (bucket == StorageBuckets.Recordings && MilestoneKeys.TryParse(key, out _, out _, out _))
        {
            File.Delete(PathOf(key));
        }

        return Task.CompletedTask;
    }

    public async IAsyncEnumerable<ObjectInfo> ListAsync(string bucket, string prefix, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (bucket != StorageBuckets.Recordings || !Directory.Exists(CacheRoot))
        {
            yield break;
        }

        foreach (var file in new DirectoryInfo(CacheRoot).EnumerateFiles("*.ts", SearchOption.AllDirectories))
        {
            var key = Path.GetRelativePath(CacheRoot, file.FullName).Replace('\\', '/');
            if (key.StartsWith(prefix, StringComparison.Ordinal))
            {
                yield return new ObjectInfo(key, file.Length, new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero));
            }
        }

        await Task.CompletedTask;
    }

    /// <summary>
    /// The local cache can be written. Milestone's own reachability is the separate <c>milestone</c> health entry (Degraded
    /// when it fails): Milestone being away must not make this process unready, our own footage still records and plays.
    /// </summary>
    public async Task CheckHealthAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(CacheRoot);
        var probe = Path.Combine(CacheRoot, $".health-{Guid.NewGuid():N}");
        await File.WriteAllBytesAsync(probe, [1], cancellationToken);
        File.Delete(probe);
    }

    public long? GetAvailableFreeBytes() => null;

    private async Task<TransmuxedPiece?> MakeAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            _ = MilestoneKeys.TryParse(key, out var deviceId, out var from, out var to); // checked by MaterialiseAsync
            var path = PathOf(key);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var temporary = path + ".part";
            try
            {
                var piece = await _transmuxer.TransmuxAsync(_reader.ReadAsync(deviceId, from, to, null, cancellationToken), temporary, cancellationToken);
                if (piece is null)
                {
                    return null;
                }

                File.Move(temporary, path, overwrite: true);
                Trim(path);
                return piece with { Path = path };
            }
            finally
            {
                File.Delete(temporary);
            }
        }
        finally
        {
            _making.TryRemove(key, out _);
        }
    }

    /// <summary>Keeps the cache under its size limit, dropping the least recently read files (never the one just made).</summary>
    private void Trim(string keep)
    {
        var files = new DirectoryInfo(CacheRoot).EnumerateFiles("*.ts", SearchOption.AllDirectories).ToList();
        var total = files.Sum(f => f.Length);
        foreach (var file in files.OrderBy(f => f.LastAccessTimeUtc))
        {
            if (total <= _options.Value.CacheMaxBytes)
            {
                break;
            }

            if (file.FullName != keep)
            {
                total -= file.Length;
                file.Delete();
            }
        }
    }

    private string PathOf(string key) => Path.Combine(CacheRoot, key.Replace('/', Path.DirectorySeparatorChar));
}
