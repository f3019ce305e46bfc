using System.Globalization;
using Footage.Core.Segments;
using Footage.Core.Storage;
using Footage.Playback.Caching;
using Footage.ServiceDefaults.Http;
using Microsoft.AspNetCore.Http;

namespace Footage.Playback.Media;

/// <summary>
/// Serves a byte range of a segment. The length comes from the catalog (no round trip to the backend to
/// resolve the range); a range of cacheable size is kept in the cache, keyed by segment and range, which
/// is safe forever because a segment's bytes never change under its id.
/// </summary>
public sealed class ChunkResult(Segment segment, IStorageBackend backend, IPlaybackCache cache, PlaybackOptions options) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var ct = httpContext.RequestAborted;
        var response = httpContext.Response;
        var length = segment.SizeBytes;
        response.Headers.AcceptRanges = "bytes";
        response.Headers.ETag = $"\"{segment.Id:N}\"";
        response.Headers.CacheControl = "private, max-age=3600";
        response.ContentType = "video/mp2t";

        var kind = RangeRequest.Resolve(httpContext.Request.Headers.Range.ToString(), length, out var range);
        if (kind == RangeRequest.Kind.Unsatisfiable)
        {
            response.StatusCode = StatusCodes.Status416RangeNotSatisfiable;
            response.Headers.ContentRange = $"bytes */{length}";
            return;
        }

        var wanted = kind == RangeRequest.Kind.Partial ? range : new ByteRange(0, length - 1);
        if (kind == RangeRequest.Kind.Partial)
        {
            response.StatusCode = StatusCodes.Status206PartialContent;
            response.Headers.ContentRange = $"bytes {wanted.From}-{wanted.To}/{length}";
        }

        response.ContentLength = wanted.Length;
        if (HttpMethods.IsHead(httpContext.Request.Method))
        {
            return;
        }

        if (wanted.Length <= options.MaxCachedChunkBytes)
        {
            var key = string.Create(CultureInfo.InvariantCulture, $"chunk:{segment.Id:N}:{wanted.From}:{wanted.Length}");
            var bytes = await cache.GetAsync(key, ct);
            if (bytes is not null)
            {
                PlaybackMetrics.CacheRequests.WithLabels("chunk", "hit").Inc();
                PlaybackMetrics.MediaBytes.WithLabels("cache").Inc(bytes.Length);
                await response.Body.WriteAsync(bytes, ct);
                return;
            }

            PlaybackMetrics.CacheRequests.WithLabels("chunk", "miss").Inc();
            bytes = await ReadAsync(wanted, ct);
            await cache.SetAsync(key, bytes, options.ChunkCacheFor, ct);
            PlaybackMetrics.MediaBytes.WithLabels("backend").Inc(bytes.Length);
            await response.Body.WriteAsync(bytes, ct);
            return;
        }

        await using var read = await backend.OpenReadAsync(segment.StorageBucket, segment.StoragePath, wanted, ct)
            ?? throw new FileNotFoundException($"Segment {segment.Id} is catalogued but its object is missing.");
        await read.Content.CopyToAsync(response.Body, 81920, ct);
        PlaybackMetrics.MediaBytes.WithLabels("backend").Inc(wanted.Length);
    }

    private async Task<byte[]> ReadAsync(ByteRange wanted, CancellationToken ct)
    {
        await using var read = await backend.OpenReadAsync(segment.StorageBucket, segment.StoragePath, wanted, ct)
            ?? throw new FileNotFoundException($"Segment {segment.Id} is catalogued but its object is missing.");
        var bytes = new byte[wanted.Length];
        await read.Content.ReadExactlyAsync(bytes, ct);
        return bytes;
    }
}
