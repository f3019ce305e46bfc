namespace Footage.Milestone.ImageServer;

/// <summary>A message of a live stream: a frame, or a <c>livepackage</c>'s status items (id to value; id 5 = the camera lost its connection).</summary>
public sealed record LiveMessage(ImageResponse? Image, IReadOnlyDictionary<int, string>? Status)
{
    public const int CameraConnectionLost = 5;
}
