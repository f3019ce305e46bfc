using Footage.Core.Segments;
using Footage.Core.Storage;
using Footage.Playback.Playlists;
using Footage.ServiceDefaults.Auth;
using Footage.ServiceDefaults.Validation;
using Footage.ServiceDefaults.Work;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Footage.Playback.Download;

/// <summary>
/// <c>GET /api/v1/playback/download?camera_id=&amp;from=&amp;to=</c>: one MP4 of a range, stitched from the stored segments
/// without re-encoding and streamed while ffmpeg writes it (fragmented MP4), starting at <c>from</c> (an edit list hides
/// the frames of the first group of pictures before it). The sources are checked against their catalogued SHA-256 first,
/// in a scratch folder that is removed when the response ends; the first one is kept from the key frame before <c>from</c> only.
/// A download is a costly job (<see cref="WorkLimiter"/>): admitted within the server's and the caller's limits and with its
/// sources' size reserved in scratch, else 429 with <c>Retry-After</c> before anything is read.
/// </summary>
public static class DownloadApi
{
    public static IEndpointRouteBuilder MapDownloadApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/v1/playback/download", Download).RequireAuthorization(Roles.Viewer).WithTags("Playback")
            .AddEndpointFilter(Access.PlaybackAccessFilter.Download);
        return endpoints;
    }

    private static async Task<IResult> Download(
        string? camera_id, string? from, string? to, HttpContext http, ISegmentCatalog catalog, IStorageBackendRegistry backends, StreamedMp4 mp4,
        WorkLimiter limiter, IOptions<PlaybackOptions> options, ILoggerFactory logs, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (string.IsNullOrEmpty(camera_id))
        {
            errors.Add("camera_id", "is required: a UUID");
        }

        var range = PlaybackRange.Parse(camera_id ?? string.Empty, from, to, options.Value.MaxDownloadRange, errors);
        if (range is not { } r || !errors.IsEmpty)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var segments = (await SegmentLoader.LoadAsync(catalog, r.CameraId, r.From, r.To, keyframes: true, ct)).OrderBy(s => s.StartTime).ToList();
        if (segments.Count == 0)
        {
            return TypedResults.Problem(statusCode: 404, title: "No footage", detail: $"Camera {r.CameraId} has no recorded footage between {r.From:O} and {r.To:O}.");
        }

        // storage mode BOTH: our footage first, Milestone's only in our gaps
        var windows = PreferredFootage.SelectForCopy(segments);
        var lease = limiter.Start(http, "download", Math.Max(1, windows.Select(w => w.Segment).Distinct().Sum(s => s.SizeBytes)));
        var work = lease.Folder!;
        var handedOver = false;
        try
        {
            var inputs = new List<StreamedMp4.Input>();
            foreach (var window in windows)
            {
                var segment = window.Segment;
                var local = Path.Combine(work, $"{inputs.Count:D5}.ts");
                if (!backends.TryGet(segment.StorageBackend, out var backend) ||
                    !await VerifiedDownload.ToFileAsync(backend, segment.StorageBucket, segment.StoragePath, segment.Checksum, local, ct))
                {
                    return TypedResults.Problem(statusCode: 503, title: "Footage unavailable", detail: $"Segment {segment.Id} cannot be read from backend '{segment.StorageBackend}'.");
                }

                var first = inputs.Count == 0;
                var enter = window.From > r.From ? window.From : r.From;
                var start = first ? await KeyframeCut.CutAsync(segment, enter, local, ct) : segment.StartTime;
                inputs.Add(new StreamedMp4.Input(local, start, segment.EndTime, first || window.IsWhole ? null : window.From, window.IsWhole ? null : window.To));
            }

            var name = $"{r.CameraId:D}_{r.From.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}_{r.To.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}.mp4";
            handedOver = true;
            return new StreamedDownload(mp4, inputs, r.From, r.To, lease, name, logs.CreateLogger(typeof(DownloadApi)));
        }
        catch (ChecksumMismatchException e)
        {
            return TypedResults.Problem(statusCode: 409, title: "Footage altered", detail: e.Message);
        }
        finally
        {
            if (!handedOver)
            {
                lease.Dispose();
            }
        }
    }


    /// <summary>Streams the MP4 as ffmpeg writes it; a failure after the first bytes aborts the connection (the client sees a cut download, not a complete-looking broken file).</summary>
    private sealed class StreamedDownload(StreamedMp4 mp4, IReadOnlyList<StreamedMp4.Input> inputs, DateTimeOffset from, DateTimeOffset to, WorkLease lease, string name, ILogger logger) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            try
            {
                var response = httpContext.Response;
                response.ContentType = "video/mp4";
                response.Headers.ContentDisposition = $"attachment; filename=\"{name}\"";
                response.Headers.CacheControl = "no-store";
                try
                {
                    await mp4.WriteAsync(inputs, from, to, response.Body, lease.Folder!, httpContext.RequestAborted);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError(e, "Download of {Name} failed while streaming", name);
                    httpContext.Abort();
                }
            }
            finally
            {
                lease.Dispose();
            }
        }
    }
}
