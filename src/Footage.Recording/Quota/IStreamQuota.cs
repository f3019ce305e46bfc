namespace Footage.Recording.Quota;

/// <summary>Streams a source may deliver at once (the Stream Counter's job): reserve before pulling, release after.</summary>
public interface IStreamQuota
{
    Task<bool> TryReserveAsync(Guid cameraId, string? source, CancellationToken cancellationToken);

    Task ReleaseAsync(Guid cameraId, string? source, CancellationToken cancellationToken);
}
