namespace Footage.Recording.Leases;

/// <summary>The recorders this process runs, as the lease coordinator starts and stops them (the recording manager).</summary>
public interface ILeasedCameras
{
    IReadOnlyCollection<Guid> Running { get; }

    Task StartRecorderAsync(Guid cameraId);

    /// <summary>Returns once the camera's ffmpeg has stopped and its last segment is closed in the spool.</summary>
    Task StopRecorderAsync(Guid cameraId);
}
