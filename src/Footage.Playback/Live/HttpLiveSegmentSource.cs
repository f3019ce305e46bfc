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
/// The live edge of a recorder that runs elsewhere, through its API (<c>/api/v1/recording/{camera_id}/live</c>). A recorder
/// that cannot be reached gives no live footage (the playlist still holds the catalogued part), never an error.
/// </summary>
public sealed class HttpLiveSegmentSource(HttpClient http, ILogger<HttpLiveSegmentSource> logger) : ILiveSegmentSource
{
    private static readonly JsonSerializerOptions Json = FootageJson.Create();

    public async Task<IReadOnlyList<LiveSegment>> ListAsync(Guid cameraId, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync($"api/v1/recording/{cameraId:D}/live", cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                logger.LogWarning("The recorder answered {Status} for the live edge of camera {CameraId}", (int)response.StatusCode, cameraId);
                return [];
            }

            var body = await response.Content.ReadFromJsonAsync<JsonElement>(Json, cancellationToken);
            return body.GetProperty("segments").EnumerateArray().Select(Read).ToArray();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "The recorder could not be reached for the live edge of camera {CameraId}", cameraId);
            return [];
        }
    }

    public async Task<Stream?> OpenReadAsync(Guid cameraId, string file, ByteRange range, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/v1/recording/{cameraId:D}/live/{Uri.EscapeDataString(file)}");
        request.Headers.Range = new RangeHeaderValue(range.From, range.To);
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.RequestedRangeNotSatisfiable)
            {
                return null;
            }

            response.EnsureSuccessStatusCode();
            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            return bytes.Length == range.Length ? new MemoryStream(bytes, writable: false) : null;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "The recorder could not be reached to read {File} of camera {CameraId}", file, cameraId);
            return null;
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
            item.GetProperty("open").GetBoolean());

}
