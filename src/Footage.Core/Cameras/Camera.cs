namespace Footage.Core.Cameras;

/// <summary>A camera as the directory knows it. <see cref="RtspUrl"/> may hold credentials: never log or return it as is.</summary>
public sealed record Camera(
    Guid Id,
    string Name,
    string? Source,
    string? RtspUrl,
    StorageMode StorageMode,
    int? RetentionDays,
    bool Enabled,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>Sound recorded (AAC and MP3 copied, any other codec converted to AAC; the default) or not recorded at all.</summary>
    public CameraAudio Audio { get; init; } = CameraAudio.Keep;

    /// <summary>RTP over the RTSP connection (TCP, the default) or over UDP, for cameras that serve only that.</summary>
    public RtspTransport RtspTransport { get; init; } = RtspTransport.Tcp;
}
