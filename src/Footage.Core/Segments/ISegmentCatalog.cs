namespace Footage.Core.Segments;

/// <summary>
/// The Storage module's catalog of segments, as other modules see it. The host wires the in-process
/// implementation or, when Storage runs elsewhere, an HTTP client.
/// </summary>
public interface ISegmentCatalog
{
    /// <summary>Idempotent on (camera, start time): the same segment twice is one row.</summary>
    Task<SegmentRegistration> RegisterAsync(NewSegment segment, CancellationToken cancellationToken);

    /// <summary>
    /// Catalogs a recording kept aside under its quarantine key (<see cref="Storage.ObjectKeys.ForQuarantine"/> in the clips
    /// bucket) because other footage is already stored or catalogued at its camera and start. Idempotent on its key.
    /// </summary>
    Task<QuarantinedSegment> QuarantineAsync(NewSegment segment, Guid? conflictingSegmentId, string reason, CancellationToken cancellationToken);

    Task<Segment?> GetAsync(Guid id, CancellationToken cancellationToken);

    Task<SegmentPage> ListAsync(SegmentQuery query, CancellationToken cancellationToken);
}
