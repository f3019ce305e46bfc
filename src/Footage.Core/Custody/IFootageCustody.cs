namespace Footage.Core.Custody;

/// <summary>
/// The chain of custody for footage: a module that acts on footage (an export made, completed or
/// downloaded) reports it here, and the Metadata module appends it to the custody log of every incident
/// whose cameras and time range it touches. Without the Metadata module it does nothing.
/// </summary>
public interface IFootageCustody
{
    Task RecordAsync(FootageEvent footageEvent, CancellationToken cancellationToken);
}
