using System.Net;
using System.Net.Http.Json;
using Footage.Recording.Quota;
using Microsoft.Extensions.Logging;

namespace Footage.Recording.Vms;

/// <summary>
/// The Stream Counter (docs/recording.md, "VMS services"): <c>POST {counter}/api/v1/streams/reserve</c>
/// answers 200 when the camera may pull a stream of its source and 409 when the source is full;
/// <c>POST {counter}/api/v1/streams/release</c> gives it back. Both carry the camera and its source, and
/// this recorder's name as the holder; reserving again what the camera holds is granted.
/// </summary>
public sealed class StreamCounterQuota(IHttpClientFactory clients, VmsServiceOptions options, ILogger<StreamCounterQuota> logger) : IStreamQuota
{
    public const string ClientName = "vms-stream-counter";
    private static readonly string Holder = Environment.MachineName;

    public async Task<bool> TryReserveAsync(Guid cameraId, string? source, CancellationToken cancellationToken)
    {
        using var response = await PostAsync("api/v1/streams/reserve", cameraId, source, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Conflict)
        {
            return false;
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"the Stream Counter at {options.Display} answered {(int)response.StatusCode} to a reservation", null, response.StatusCode);
        }

        return true;
    }

    /// <summary>Best effort: a release that cannot be delivered is logged, and the recorder goes on (the counter's own expiry frees the stream).</summary>
    public async Task ReleaseAsync(Guid cameraId, string? source, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await PostAsync("api/v1/streams/release", cameraId, source, cancellationToken);
            if (!response.IsSuccessStatusCode && response.StatusCode != HttpStatusCode.NotFound)
            {
                logger.LogWarning("The Stream Counter at {Counter} answered {Status} to the release of camera {CameraId}", options.Display, (int)response.StatusCode, cameraId);
            }
        }
        catch (Exception e) when (e is HttpRequestException or Polly.ExecutionRejectedException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            logger.LogWarning("Could not release the stream of camera {CameraId} at the Stream Counter {Counter}: {Error}", cameraId, options.Display, e.GetType().Name);
        }
    }

    private async Task<HttpResponseMessage> PostAsync(string path, Guid cameraId, string? source, CancellationToken cancellationToken)
    {
        var http = clients.CreateClient(ClientName);
        try
        {
            return await http.PostAsJsonAsync(path, new StreamReservation(cameraId, source, Holder), cancellationToken);
        }
        catch (Exception e) when (e is Polly.ExecutionRejectedException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new HttpRequestException($"the Stream Counter at {options.Display} did not answer in time or is failing", e);
        }
    }

    private sealed record StreamReservation(
        [property: System.Text.Json.Serialization.JsonPropertyName("camera_id")] Guid CameraId,
        [property: System.Text.Json.Serialization.JsonPropertyName("source")] string? Source,
        [property: System.Text.Json.Serialization.JsonPropertyName("holder")] string Holder);
}
