using Footage.Core.Storage;
using Footage.Playback.Caching;
using Footage.ServiceDefaults.Http;
using Microsoft.AspNetCore.Http;

namespace Footage.Playback.Media;

/// <summary>
/// A byte range of a file the recorder has not catalogued yet, up to its last whole picture (a file being written grows between
/// requests, so its length is what is offered now). The file may be uploaded and leave the spool between the lookup and the read:
/// then <paramref name="stored"/> serves the same bytes from the catalogued object.
/// </summary>
/// <param name="exact">A range to serve whatever the request's Range says (the part a preload hint asked for).</param>
public sealed class SpooledChunkResult(MediaFiles files, MediaFiles.Spooled spooled, Func<Task<IResult>> stored, ByteRange? exact = null) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var ct = httpContext.RequestAborted;
        var response = httpContext.Response;
        var length = spooled.Available;
        ByteRange range = default;
        var kind = exact is { } given ? RangeRequest.Kind.Partial : RangeRequest.Resolve(httpContext.Request.Headers.Range.ToString(), length, out range);
        range = exact ?? range;
        length = exact is { } part ? Math.Max(length, part.To + 1) : length;
        response.Headers.AcceptRanges = "bytes";
        response.Headers.CacheControl = "no-store";
        if (kind == RangeRequest.Kind.Unsatisfiable || length == 0)
        {
            response.StatusCode = StatusCodes.Status416RangeNotSatisfiable;
            response.Headers.ContentRange = $"bytes */{length}";
            return;
        }

        var wanted = kind == RangeRequest.Kind.Partial ? range : new ByteRange(0, length - 1);
        await using var read = await files.OpenAsync(spooled, wanted, ct);
        if (read is null)
        {
            await (await stored()).ExecuteAsync(httpContext);
            return;
        }

        response.ContentType = "video/mp2t";
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

        await read.CopyToAsync(response.Body, 81920, ct);
        PlaybackMetrics.MediaBytes.WithLabels("recorder").Inc(wanted.Length);
    }
}
