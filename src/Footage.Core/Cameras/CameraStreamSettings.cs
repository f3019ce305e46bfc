namespace Footage.Core.Cameras;

/// <summary>The wire names of a camera's <see cref="CameraAudio"/> and <see cref="RtspTransport"/> settings (lower case, as ffmpeg names them).</summary>
public static class CameraStreamSettings
{
    public const string AllowedAudio = "keep, drop";
    public const string AllowedTransports = "tcp, udp";

    public static string ToWire(CameraAudio audio) => audio == CameraAudio.Drop ? "drop" : "keep";

    public static string ToWire(RtspTransport transport) => transport == RtspTransport.Udp ? "udp" : "tcp";

    public static bool TryParse(string? value, out CameraAudio audio)
    {
        switch (value?.Trim().ToLowerInvariant())
        {
            case "keep": audio = CameraAudio.Keep; return true;
            case "drop": audio = CameraAudio.Drop; return true;
            default: audio = default; return false;
        }
    }

    public static bool TryParse(string? value, out RtspTransport transport)
    {
        switch (value?.Trim().ToLowerInvariant())
        {
            case "tcp": transport = RtspTransport.Tcp; return true;
            case "udp": transport = RtspTransport.Udp; return true;
            default: transport = default; return false;
        }
    }
}
