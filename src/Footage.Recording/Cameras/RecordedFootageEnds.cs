using System.Collections.Concurrent;
using Footage.Core.Segments;
using Footage.Recording.Spool;
using Microsoft.Extensions.Logging;

namespace Footage.Recording.Cameras;

/// <summary>
/// Where each camera's footage recorded so far ends: a new run is never anchored before it. Normally a new run starts
/// after it anyway; after the wall clock was stepped back it would not, and its segments would overlap footage already
/// spooled or stored. Kept from the segments this process closes, and read from the spool and the catalog when a
/// recorder takes a camera (after a restart of the process, or from another recorder). The catalog is asked with a
/// short timeout: when it cannot answer, recording starts anyway with what the spool and this process know.
/// </summary>
public sealed partial class RecordedFootageEnds(ISegmentCatalog catalog, SpoolFolder spool, TimeProvider clock, ILogger<RecordedFootageEnds> logger)
{
    private static readonly TimeSpan CatalogTimeout = TimeSpan.FromSeconds(5);
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _ends = new();

    /// <summary>Footage of the camera now reaches <paramref name="end"/>.</summary>
    public void Covered(Guid cameraId, DateTimeOffset end) => _ends.AddOrUpdate(cameraId, end, (_, known) => end > known ? end : known);

    /// <summary>The end of the camera's footage; with <paramref name="look"/> the spool and the catalog are read first.</summary>
    public async Task<DateTimeOffset?> EndAsync(Guid cameraId, bool look, CancellationToken cancellationToken)
    {
        if (look)
        {
            foreach (var end in await SpooledEndsAsync(cameraId, cancellationToken))
            {
                Covered(cameraId, end);
            }

            if (await StoredEndAsync(cameraId, cancellationToken) is { } stored)
            {
                Covered(cameraId, stored);
            }
        }

        return _ends.TryGetValue(cameraId, out var known) ? known : null;
    }

    private async Task<List<DateTimeOffset>> SpooledEndsAsync(Guid cameraId, CancellationToken cancellationToken)
    {
        var ends = new List<DateTimeOffset>();
        foreach (var sidecar in Directory.EnumerateFiles(spool.CameraFolder(cameraId), "*.ts" + SpooledSegment.Extension))
        {
            if (await SpooledSegment.ReadAsync(sidecar, cancellationToken) is { } segment)
            {
                ends.Add(segment.EndTime);
            }
        }

        return ends;
    }

    /// <summary>The latest end among stored segments that end after a minute ago (only those can be overlapped), or null.</summary>
    private async Task<DateTimeOffset?> StoredEndAsync(Guid cameraId, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(CatalogTimeout, clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            DateTimeOffset? latest = null;
            string? cursor = null;
            do
            {
                var page = await catalog.ListAsync(new SegmentQuery(cameraId, clock.GetUtcNow() - TimeSpan.FromMinutes(1), null, cursor, 1000), linked.Token);
                foreach (var segment in page.Items)
                {
                    latest = latest is null || segment.EndTime > latest ? segment.EndTime : latest;
                }

                cursor = page.NextCursor;
            }
            while (cursor is not null);

            return latest;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            LogCatalogUnavailable(cameraId, e.Message);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Camera {CameraId} starts without the end of its stored footage (the catalog did not answer: {Error})")]
    private partial void LogCatalogUnavailable(Guid cameraId, string error);
}
