namespace Footage.Core.Cameras;

/// <summary>How the recorder asks a camera for its RTP packets: interleaved on the RTSP TCP connection (the default), or over UDP.</summary>
public enum RtspTransport
{
    Tcp,
    Udp,
}
