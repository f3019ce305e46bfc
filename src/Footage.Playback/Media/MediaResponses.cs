using Footage.Playback.Caching;
using Footage.Playback.Renditions;
using Microsoft.AspNetCore.Http;

namespace Footage.Playback.Media;

/// <summary>What a media link answers, whichever folder it came through (a camera's media folder or a shared link's).</summary>
public static class MediaResponses
{
    public static async Task<IResult> ServeAsync(
        Guid cameraId, MediaFileName file, HttpRequest request, MediaFiles files, IPlaybackCache cache, PlaybackOptions options, TranscodedRendition transcoder,
        TimeProvider clock, Func<MediaFiles.Found, bool>? allowed, CancellationToken ct)
    {
        var found = await files.FindAsync(cameraId, file.Name, ct, keyframes: file.Rendition is not null);
        if (found is null || (allowed is not null && !allowed(found)))
        {
            return NotFound(cameraId, file);
        }

        if (file.Rendition is null && found is MediaFiles.Spooled { File.Open: true } growing && OpenEndedFrom(request) is { } from && from >= growing.Available)
        {
            // a preload hint (LL-HLS): the next partial segment, once it is whole
            return await NextPartAsync(cameraId, file, from, files, options, clock, ct) is { } part
                ? new SpooledChunkResult(files, part.File, () => Task.FromResult<IResult>(NotFound(cameraId, file)), part.Range)
                : TypedResults.Problem(statusCode: 416, title: "Not there yet", detail: $"No picture of '{file.Name}' starts at byte {from} yet.");
        }

        if (file.Rendition is { } rendition)
        {
            return await transcoder.ServeAsync(request.HttpContext, found, file.Offset, file.Length, rendition, ct);
        }

        return found switch
        {
            MediaFiles.Stored { Backend: null } stored => Unavailable(stored),
            MediaFiles.Stored stored => new ChunkResult(stored.Segment, stored.Backend!, cache, options),
            MediaFiles.Spooled spooled => new SpooledChunkResult(files, spooled, async () =>
                await files.StoredAsync(cameraId, file.Name, ct) switch
                {
                    { Backend: null } stored => Unavailable(stored),
                    { } stored => new ChunkResult(stored.Segment, stored.Backend!, cache, options),
                    null => NotFound(cameraId, file),
                }),
            _ => NotFound(cameraId, file),
        };
    }

    /// <summary>Waits (up to three parts) until the part that starts at <paramref name="from"/> is whole; null when it did not come.</summary>
    private static async Task<(MediaFiles.Spooled File, Core.Storage.ByteRange Range)?> NextPartAsync(
        Guid cameraId, MediaFileName file, long from, MediaFiles files, PlaybackOptions options, TimeProvider clock, CancellationToken ct)
    {
        var target = TimeSpan.FromMilliseconds(Math.Max(100, options.LivePartMilliseconds));
        var deadline = clock.GetUtcNow() + (target * 3) + TimeSpan.FromSeconds(1);
        while (clock.GetUtcNow() < deadline)
        {
            if (await files.FindAsync(cameraId, file.Name, ct) is not MediaFiles.Spooled spooled)
            {
                return null;
            }

            if (Live.LiveParts.Cut(spooled.File.Frames, from, spooled.File.Open ? null : (spooled.File.SizeBytes, long.MaxValue), target) is { Count: > 0 } parts)
            {
                return (spooled, new Core.Storage.ByteRange(from, from + parts[0].Length - 1));
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), clock, ct);
        }

        return null;
    }

    private static long? OpenEndedFrom(HttpRequest request)
    {
        var header = request.Headers.Range.ToString();
        return header.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase) && header.EndsWith('-') &&
               long.TryParse(header.AsSpan(6, header.Length - 7), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var from)
            ? from
            : null;
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult NotFound(Guid cameraId, MediaFileName file) =>
        TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"Camera {cameraId} has no recorded file '{file.Name}' (deleted, or never recorded).");

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Unavailable(MediaFiles.Stored stored) =>
        TypedResults.Problem(statusCode: 503, title: "Backend unavailable", detail: $"Backend '{stored.Segment.StorageBackend}' is not enabled on this host.");
}
