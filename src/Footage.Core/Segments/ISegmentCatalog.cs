namespace Footage.Core.Segments;

/// <summary>
/// The Storage module's catalog of segments, as other modules see it. The host wires the in-process
/// implementation or, when Storage runs elsewhere, an HTTP client.
/// </summary>
public interface ISegmentCatalog
{
    /// <summary>Idempotent on (camera, start time): the same segment twice is one row.</summary>
    Task<SegmentRegistration> RegisterAsync(NewSegment segment, CancellationToken cancellationToken);

    Task<Segment?> GetAsync(Guid id, CancellationToken cancellationToken);

    Task<SegmentPage> ListAsync(SegmentQuery query, CancellationToken cancellationToken);
}
