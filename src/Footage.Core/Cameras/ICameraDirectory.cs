namespace Footage.Core.Cameras;

/// <summary>Where cameras come from: our own table, or the Phase-1 VMS Service when configured.</summary>
public interface ICameraDirectory
{
    Task<Camera?> GetAsync(Guid id, CancellationToken cancellationToken);

    Task<IReadOnlyList<Camera>> ListAsync(CancellationToken cancellationToken);
}
