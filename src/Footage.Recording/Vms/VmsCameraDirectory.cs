using System.Net;
using System.Text.Json;
using Footage.Core;
using Footage.Core.Cameras;

namespace Footage.Recording.Vms;

/// <summary>
/// The camera directory of the VMS Service (docs/recording.md, "VMS services"):
/// <c>GET {vms}/api/v1/cameras</c> and <c>GET {vms}/api/v1/cameras/{id}</c>. The camera's RTSP URL and
/// source come from it; a camera without <c>storage_mode</c> is LOCAL. A VMS that cannot be reached is a 503
/// to whoever asked, and a recorder retries.
/// </summary>
public sealed class VmsCameraDirectory(IHttpClientFactory clients, VmsServiceOptions options, TimeProvider clock) : ICameraDirectory
{
    public const string ClientName = "vms-cameras";

    public async Task<Camera?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        var camera = await ReadAsync($"api/v1/cameras/{id:D}", cancellationToken);
        return camera is { } c ? Parse(c) : null;
    }

    public async Task<IReadOnlyList<Camera>> ListAsync(CancellationToken cancellationToken)
    {
        var list = await ReadAsync("api/v1/cameras", cancellationToken);
        if (list is not { ValueKind: JsonValueKind.Array } cameras)
        {
            throw Unavailable("its camera list is not a JSON array");
        }

        return cameras.EnumerateArray().Select(Parse).OrderBy(c => c.Name, StringComparer.Ordinal).ToArray();
    }

    private async Task<JsonElement?> ReadAsync(string path, CancellationToken cancellationToken)
    {
        var http = clients.CreateClient(ClientName);
        try
        {
            using var response = await http.GetAsync(path, cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }

            if (!response.IsSuccessStatusCode)
            {
                throw Unavailable($"it answered {(int)response.StatusCode}");
            }

            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            using var document = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
            return document.RootElement.Clone();
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or Polly.ExecutionRejectedException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw Unavailable(e is JsonException ? "it sent something that is not JSON" : "no answer in time or no connection");
        }
    }

    private Camera Parse(JsonElement c)
    {
        try
        {
            var mode = StorageMode.Local;
            if (Text(c, "storage_mode") is { } wire && !StorageModes.TryParse(wire, out mode))
            {
                throw new FormatException($"storage_mode '{wire}' is not one of {StorageModes.Allowed}");
            }

            var audio = CameraAudio.Keep;
            if (Text(c, "audio") is { } audioWire && !CameraStreamSettings.TryParse(audioWire, out audio))
            {
                throw new FormatException($"audio '{audioWire}' is not one of {CameraStreamSettings.AllowedAudio}");
            }

            var transport = RtspTransport.Tcp;
            if (Text(c, "rtsp_transport") is { } transportWire && !CameraStreamSettings.TryParse(transportWire, out transport))
            {
                throw new FormatException($"rtsp_transport '{transportWire}' is not one of {CameraStreamSettings.AllowedTransports}");
            }

            var now = clock.GetUtcNow();
            return new Camera(
                c.GetProperty("id").GetGuid(),
                Text(c, "name") ?? c.GetProperty("id").GetString()!,
                Text(c, "source"),
                Text(c, "rtsp_url"),
                mode,
                c.TryGetProperty("retention_days", out var days) && days.ValueKind == JsonValueKind.Number ? days.GetInt32() : null,
                !c.TryGetProperty("enabled", out var enabled) || enabled.ValueKind != JsonValueKind.False,
                now,
                now)
            {
                Audio = audio,
                RtspTransport = transport,
            };
        }
        catch (Exception e) when (e is KeyNotFoundException or FormatException or InvalidOperationException)
        {
            throw Unavailable($"it sent a camera this service cannot read ({e.Message})");
        }
    }

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private CameraDirectoryUnavailableException Unavailable(string why) =>
        new($"The VMS Service at {options.Display} cannot give the camera directory now: {why}.");
}
