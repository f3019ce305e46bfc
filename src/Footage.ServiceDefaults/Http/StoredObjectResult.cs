using Footage.Core.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Footage.ServiceDefaults.Http;

/// <summary>
/// Streams an object of a storage backend with Range support (206 and Content-Range, 416 past the end),
/// asking the backend for just the bytes wanted, so that a range of an S3 object is an S3 range read.
/// <paramref name="serving"/> runs only when bytes are about to be sent (not for a missing object or a 416), so that
/// what it records (a download in the chain of custody) happened.
/// </summary>
public sealed class StoredObjectResult(
    IStorageBackend backend,
    string bucket,
    string key,
    string contentType,
    string? downloadName = null,
    string? cacheControl = null,
    Func<CancellationToken, Task>? serving = null) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var ct = httpContext.RequestAborted;
        var response = httpContext.Response;
        var info = await backend.StatAsync(bucket, key, ct);
        if (info is null)
        {
            await Results.Problem(statusCode: 404, title: "Not found", detail: "The stored object is missing.").ExecuteAsync(httpContext);
            return;
        }

        response.Headers.AcceptRanges = "bytes";
        if (cacheControl is not null)
        {
            response.Headers.CacheControl = cacheControl;
        }

        var etag = $"\"{info.Size:x}-{info.LastModified.ToUnixTimeSeconds():x}\"";
        response.Headers.ETag = etag;
        response.Headers.LastModified = info.LastModified.ToString("R");
        if (downloadName is not null)
        {
            response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileName = downloadName }.ToString();
        }

        var rangeHeader = httpContext.Request.Headers.Range.ToString();
        var ifRange = httpContext.Request.Headers.IfRange.ToString();
        if (!string.IsNullOrEmpty(ifRange) && ifRange != etag)
        {
            rangeHeader = string.Empty; // the client's copy is stale: send everything
        }

        var kind = RangeRequest.Resolve(rangeHeader, info.Size, out var range);
        if (kind == RangeRequest.Kind.Unsatisfiable)
        {
            response.StatusCode = StatusCodes.Status416RangeNotSatisfiable;
            response.Headers.ContentRange = $"bytes */{info.Size}";
            return;
        }

        var read = await backend.OpenReadAsync(bucket, key, kind == RangeRequest.Kind.Partial ? range : null, ct);
        if (read is null)
        {
            await Results.Problem(statusCode: 404, title: "Not found", detail: "The stored object is missing.").ExecuteAsync(httpContext);
            return;
        }

        await using (read)
        {
            if (serving is not null)
            {
                await serving(ct);
            }

            response.ContentType = contentType;
            response.ContentLength = read.ContentLength;
            if (kind == RangeRequest.Kind.Partial)
            {
                response.StatusCode = StatusCodes.Status206PartialContent;
                response.Headers.ContentRange = $"bytes {range.From}-{range.To}/{info.Size}";
            }

            if (HttpMethods.IsHead(httpContext.Request.Method))
            {
                return;
            }

            await read.Content.CopyToAsync(response.Body, 81920, ct);
        }
    }
}
