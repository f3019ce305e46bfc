using System.Text.Json;
using System.Text.Json.Serialization;

namespace Footage.Testing;

/// <summary>
/// One kind of camera the simulator serves (tests/tools/camera-simulator.py, where each field is described): codec, sound,
/// frame rate, GOP, B-frames, a picture that changes size, RTP timestamps that wrap or jump. Null fields take the simulator's defaults.
/// </summary>
public sealed record CameraKind
{
    [JsonPropertyName("codec")] public string? Codec { get; init; }

    [JsonPropertyName("audio")] public string? Audio { get; init; }

    [JsonPropertyName("fps")] public string? Fps { get; init; }

    [JsonPropertyName("gop")] public double? GopSeconds { get; init; }

    /// <summary>Key frames only at these seconds of each cycle (the last is the cycle's length), as a camera that sends one on motion.</summary>
    [JsonPropertyName("keyframes")] public IReadOnlyList<double>? KeyframesAt { get; init; }

    [JsonPropertyName("bframes")] public int? BFrames { get; init; }

    [JsonPropertyName("vfr")] public bool? VariableFrameRate { get; init; }

    [JsonPropertyName("resize_every")] public double? ResizeEverySeconds { get; init; }

    [JsonPropertyName("rtp_timestamp")] public long? FirstRtpTimestamp { get; init; }

    [JsonPropertyName("jump_every")] public double? JumpEverySeconds { get; init; }

    [JsonPropertyName("jump_seconds")] public double? JumpSeconds { get; init; }

    [JsonPropertyName("width")] public int? Width { get; init; }

    [JsonPropertyName("height")] public int? Height { get; init; }

    [JsonPropertyName("bitrate")] public int? BitrateKbps { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this, Options);

    private static readonly JsonSerializerOptions Options = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };
}
