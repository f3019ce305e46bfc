using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Footage.Core.Live;
using Footage.Core.Segments;
using Footage.Core.Storage;
using Footage.ServiceDefaults.Json;
using Microsoft.Extensions.Logging;

namespace Footage.Playback.Live;

/// <summary>
/// The live edge of recorders that run elsewhere, through their API. The configured Recording URL (any recorder, or a gateway in
/// front of them) says which recorder holds the camera (<c>/api/v1/recording/{camera_id}/recorder</c>); that recorder's
/// <c>/api/v1/recording/{camera_id}/live</c> is then asked directly. The answer is kept for <see cref="HolderTtl"/> and looked
/// up again when the holder fails. A camera nobody holds, or a holder without a URL, is asked of the configured URL. A recorder
/// that cannot be reached gives no live footage (the playlist still holds the catalogued part), never an error.
/// </summary>
public sealed class HttpLiveSegmentSource(HttpClient http, ILogger<HttpLiveSegmentSource> logger, TimeProvider clock) : ILiveSegmentSource
{
    /// <summary>Long enough to spare a lookup per playlist refresh, short next to a lease's life after its holder died.</summary>
    public static readonly TimeSpan HolderTtl = TimeSpan.FromSeconds(5);

    private static readonly JsonSerializerOptions Json = FootageJson.Create();
    private readonly ConcurrentDictionary<Guid, (Uri Recorder, DateTimeOffset Until)> _holders = new();

    public async Task<IReadOnlyList<LiveSegment>> ListAsync(Guid cameraId, CancellationToken cancellationToken)
    {
        var (recorder, cached) = await HolderAsync(cameraId, cancellationToken);
        var segments = await ListFromAsync(recorder, cameraId, cancellationToken);
        if (segments is null && cached)
        {
            _holders.TryRemove(cameraId, out _);
            (recorder, _) = await HolderAsync(cameraId, cancellationToken);
            segments = await ListFromAsync(recorder, cameraId, cancellationToken);
        }

        return segments ?? [];
    }

    public async Task<Stream?> OpenReadAsync(Guid cameraId, string file, ByteRange range, CancellationToken cancellationToken)
    {
        var (recorder, cached) = await HolderAsync(cameraId, cancellationToken);
        var (stream, failed) = await OpenFromAsync(recorder, cameraId, file, range, cancellationToken);
        if (failed && cached)
        {
            _holders.TryRemove(cameraId, out _);
            (recorder, _) = await HolderAsync(cameraId, cancellationToken);
            (stream, _) = await OpenFromAsync(recorder, cameraId, file, range, cancellationToken);
        }

        return stream;
    }

    /// <summary>The base URL of the recorder holding the camera, and whether it came from the cache (and may be out of date).</summary>
    private async Task<(Uri Recorder, bool Cached)> HolderAsync(Guid cameraId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (_holders.TryGetValue(cameraId, out var known) && known.Until > now)
        {
            return (known.Recorder, true);
        }

        var recorder = await LookUpAsync(cameraId, cancellationToken) ?? http.BaseAddress!;
        _holders[cameraId] = (recorder, now + HolderTtl);
        return (recorder, false);
    }

    private async Task<Uri?> LookUpAsync(Guid cameraId, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync($"api/v1/recording/{cameraId:D}/recorder", cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return null;
            }

            var body = await response.Content.ReadFromJsonAsync<JsonElement>(Json, cancellationToken);
            return body.TryGetProperty("recorder_url", out var url) && url.ValueKind == JsonValueKind.String
                && Uri.TryCreate(url.GetString()!.TrimEnd('/') + "/", UriKind.Absolute, out var recorder)
                ? recorder
                : null;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "The Recording service could not say which recorder holds camera {CameraId}", cameraId);
            return null;
        }
    }

    /// <summary>The recorder's files of the camera; null when it could not be asked.</summary>
    private async Task<IReadOnlyList<LiveSegment>?> ListFromAsync(Uri recorder, Guid cameraId, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync(new Uri(recorder, $"api/v1/recording/{cameraId:D}/live"), cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                logger.LogWarning("The recorder {Recorder} answered {Status} for the live edge of camera {CameraId}", recorder, (int)response.StatusCode, cameraId);
                return null;
            }

            var body = await response.Content.ReadFromJsonAsync<JsonElement>(Json, cancellationToken);
            return body.GetProperty("segments").EnumerateArray().Select(Read).ToArray();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "The recorder {Recorder} could not be reached for the live edge of camera {CameraId}", recorder, cameraId);
            return null;
        }
    }

    /// <summary>The range, or null when the file is gone; <c>Failed</c> when the recorder could not be asked at all.</summary>
    private async Task<(Stream? Stream, bool Failed)> OpenFromAsync(Uri recorder, Guid cameraId, string file, ByteRange range, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(recorder, $"api/v1/recording/{cameraId:D}/live/{Uri.EscapeDataString(file)}"));
        request.Headers.Range = new RangeHeaderValue(range.From, range.To);
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.RequestedRangeNotSatisfiable)
            {
                return (null, false);
            }

            response.EnsureSuccessStatusCode();
            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            return (bytes.Length == range.Length ? new MemoryStream(bytes, writable: false) : null, false);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "The recorder {Recorder} could not be reached to read {File} of camera {CameraId}", recorder, file, cameraId);
            return (null, true);
        }
    }

    private static LiveSegment Read(JsonElement item) =>
        new(
            item.GetProperty("file").GetString() ?? string.Empty,
            item.GetProperty("start_time").GetDateTimeOffset(),
            item.GetProperty("end_time").GetDateTimeOffset(),
            item.GetProperty("size_bytes").GetInt64(),
            new KeyframeIndex(item.GetProperty("keyframes").EnumerateArray()
                .Select(k => new Keyframe(k[0].GetInt64(), k[1].GetInt64())).ToArray()),
            item.GetProperty("open").GetBoolean())
        {
            Frames = item.TryGetProperty("frames", out var frames)
                ? frames.EnumerateArray().Select(f => new LiveFrame(f[0].GetInt64(), f[1].GetInt64(), f[2].GetInt64() == 1)).ToArray()
                : [],
        };
}
