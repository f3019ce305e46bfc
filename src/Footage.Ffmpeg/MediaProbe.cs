using System.Globalization;
using System.Text.Json;

namespace Footage.Ffmpeg;

/// <summary>What ffprobe says of a media file: its container start time and duration, and its streams.</summary>
public sealed record MediaProbe(double StartSeconds, double DurationSeconds, IReadOnlyList<MediaStream> Streams)
{
    public static async Task<MediaProbe> ReadAsync(FfmpegRunner runner, string path, CancellationToken cancellationToken)
    {
        var json = await runner.RunFfprobeAsync(
            ["-v", "error", "-print_format", "json", "-show_entries", "format=start_time,duration:stream=index,codec_type,codec_name,width,height", path],
            cancellationToken);
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var format = root.GetProperty("format");
        var streams = root.TryGetProperty("streams", out var s)
            ? s.EnumerateArray().Select(e => new MediaStream(
                e.GetProperty("index").GetInt32(),
                e.TryGetProperty("codec_type", out var t) ? t.GetString() ?? "" : "",
                e.TryGetProperty("codec_name", out var n) ? n.GetString() ?? "" : "",
                e.TryGetProperty("width", out var w) ? w.GetInt32() : null,
                e.TryGetProperty("height", out var h) ? h.GetInt32() : null)).ToArray()
            : [];
        return new MediaProbe(Number(format, "start_time"), Number(format, "duration"), streams);
    }

    private static double Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            ? number
            : 0;
}

public sealed record MediaStream(int Index, string CodecType, string CodecName, int? Width, int? Height);
