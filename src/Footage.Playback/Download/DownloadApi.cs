using Footage.Core.Segments;
using Footage.Core.Storage;
using Footage.Ffmpeg;
using Footage.Playback.Playlists;
using Footage.ServiceDefaults;
using Footage.ServiceDefaults.Auth;
using Footage.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Footage.Playback.Download;

/// <summary>
/// <c>GET /api/v1/playback/download?camera_id=&amp;from=&amp;to=</c>: one MP4 of a range, stitched from the
/// stored segments without re-encoding and starting at <c>from</c> (an edit list skips the frames before it).
/// The sources are checked against their catalogued SHA-256 first. The file is built in a scratch folder
/// and streamed; it is deleted when the response ends.
/// </summary>
public static class DownloadApi
{
    public static IEndpointRouteBuilder MapDownloadApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/v1/playback/download", Download).RequireAuthorization(Roles.Viewer).WithTags("Playback");
        return endpoints;
    }

    private static async Task<IResult> Download(
        string? camera_id, string? from, string? to, ISegmentCatalog catalog, IStorageBackendRegistry backends, ConcatStitcher stitcher,
        IOptions<PlaybackOptions> options, IOptions<FootageOptions> footage, CancellationToken ct)
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

        var segments = await SegmentLoader.LoadAsync(catalog, r.CameraId, r.From, r.To, keyframes: true, ct);
        if (segments.Count == 0)
        {
            return TypedResults.Problem(statusCode: 404, title: "No footage", detail: $"Camera {r.CameraId} has no recorded footage between {r.From:O} and {r.To:O}.");
        }

        var root = options.Value.WorkDirectory is { Length: > 0 } configured
            ? configured
            : Path.Combine(FootageOptions.ResolveDataDirectory(footage.Value.DataDirectory), "playback-work");
        var work = Path.Combine(Path.GetFullPath(root), Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        try
        {
            var inputs = new List<ConcatStitcher.Input>();
            foreach (var window in PreferredFootage.SelectForCopy(segments))
            {
                var segment = window.Segment;
                var local = Path.Combine(work, $"{inputs.Count:D5}.ts");
                if (!backends.TryGet(segment.StorageBackend, out var backend) ||
                    !await VerifiedDownload.ToFileAsync(backend, StorageBuckets.Recordings, segment.StoragePath, segment.Checksum, local, ct))
                {
                    return TypedResults.Problem(statusCode: 503, title: "Footage unavailable", detail: $"Segment {segment.Id} cannot be read from backend '{segment.StorageBackend}'.");
                }

                inputs.Add(new ConcatStitcher.Input(local, segment.StartTime, segment.EndTime, window.From, window.To));
            }

            var output = Path.Combine(work, "download.mp4");
            await stitcher.StitchAsync(inputs, r.From, r.To, output, ct);
            var stream = new FileStream(output, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16, FileOptions.Asynchronous | FileOptions.DeleteOnClose);
            var name = $"{r.CameraId:D}_{r.From.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}_{r.To.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}.mp4";
            return TypedResults.Stream(stream, "video/mp4", name);
        }
        catch (ChecksumMismatchException e)
        {
            return TypedResults.Problem(statusCode: 409, title: "Footage altered", detail: e.Message);
        }
        finally
        {
            foreach (var file in Directory.EnumerateFiles(work, "*.ts"))
            {
                File.Delete(file);
            }

            // the MP4 is removed when its stream closes; the folder goes with the last file
            if (!Directory.EnumerateFileSystemEntries(work).Any())
            {
                Directory.Delete(work);
            }
        }
    }
}
