using Footage.Core;
using Footage.Core.Cameras;
using Footage.Core.Segments;
using Footage.Milestone.Configuration;
using Footage.Milestone.Identity;
using Footage.Milestone.Recordings;
using Footage.Core.Storage;
using Footage.Milestone.Storage;
using Footage.Recording.Spool;
using Footage.Recording.Thumbnails;
using Footage.Storage.Cameras;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Footage.Milestone.Sync;

/// <summary>
/// Brings Milestone's recordings into our catalog: imports Milestone's cameras (GetConfiguration) as MILESTONE
/// cameras, and for every MILESTONE and BOTH camera registers the recorded sequences (SequencesGet) as segments on
/// the <c>milestone</c> backend, in pieces of whole GOPs of at most <see cref="MilestoneOptions.PieceSeconds"/>.
/// Each piece is transmuxed once to learn its size, checksum and key frames (what Playback plans chunks with);
/// for a BOTH camera only pieces where our own footage has a gap are fetched. Running it again registers only what is new.
/// Where the Recording module runs, each piece gets its timeline thumbnails like our own segments (stored on the default backend).
/// </summary>
public sealed class MilestoneSync(
    MilestoneSession session, RecorderCommandClient recorders, MilestoneBackend backend, ISegmentCatalog catalog, CameraRepository cameras,
    IStorageBackendRegistry backends, IServiceProvider services, IOptions<MilestoneOptions> options, TimeProvider clock, ILogger<MilestoneSync> logger) : IDisposable
{
    /// <summary>A sequence that ended less than this ago may still grow: its last, partial piece waits for the next run.</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(30);
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<SyncReport> RunAsync(Guid? onlyCamera, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var settings = options.Value;
            var milestoneCameras = await session.CamerasAsync(refresh: true, cancellationToken);
            var imported = settings.ImportCameras ? await ImportAsync(milestoneCameras, cancellationToken) : 0;
            var problems = new List<string>();
            int synced = 0, registered = 0, skipped = 0;
            foreach (var camera in await cameras.ListAsync(cancellationToken))
            {
                if (camera.StorageMode == StorageMode.Local || !camera.Enabled || (onlyCamera is { } only && camera.Id != only))
                {
                    continue;
                }

                var device = DeviceMapping.DeviceOf(camera);
                var milestoneCamera = milestoneCameras.FirstOrDefault(c => c.DeviceId == device);
                if (milestoneCamera is null)
                {
                    problems.Add($"Camera {camera.Id} ({camera.Name}) is {StorageModes.ToWire(camera.StorageMode)} but Milestone has no camera with device id {device}.");
                    continue;
                }

                try
                {
                    var (added, passed) = await SyncCameraAsync(camera, milestoneCamera, cancellationToken);
                    registered += added;
                    skipped += passed;
                    synced++;
                }
                catch (MilestoneException e)
                {
                    logger.LogWarning("Milestone sync of camera {CameraId} failed: {Reason}", camera.Id, e.Message);
                    problems.Add($"Camera {camera.Id} ({camera.Name}): {e.Message}");
                }
            }

            return new SyncReport(imported, synced, registered, skipped, problems);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private async Task<int> ImportAsync(IReadOnlyList<MilestoneCamera> milestoneCameras, CancellationToken cancellationToken)
    {
        var ours = await cameras.ListAsync(cancellationToken);
        var known = ours.Select(DeviceMapping.DeviceOf).Concat(ours.Select(c => c.Id)).ToHashSet();
        var imported = 0;
        var now = clock.GetUtcNow();
        foreach (var camera in milestoneCameras.Where(c => !known.Contains(c.DeviceId)))
        {
            var name = camera.Name.Length > 200 ? camera.Name[..200] : camera.Name;
            if (await cameras.InsertAsync(new Camera(camera.DeviceId, name, DeviceMapping.ImportedSource, null, StorageMode.Milestone, null, true, now, now), cancellationToken))
            {
                imported++;
                logger.LogInformation("Imported Milestone camera {CameraId} ({Name})", camera.DeviceId, name);
            }
        }

        return imported;
    }

    private async Task<(int Registered, int Skipped)> SyncCameraAsync(Camera camera, MilestoneCamera milestoneCamera, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = clock.GetUtcNow();
        var from = now - settings.SyncLookback;
        var sequences = await session.WithTokenAsync(
            token => recorders.GetSequencesAsync(milestoneCamera.RecorderUri, token, milestoneCamera.DeviceId, SequenceTypes.Recording, from, now, 100_000, cancellationToken),
            cancellationToken);
        var existing = await LoadAsync(camera.Id, from, now, cancellationToken);
        var known = existing.Where(s => s.StorageBackend == PreferredFootage.MilestoneBackend).Select(s => s.StoragePath).ToHashSet(StringComparer.Ordinal);
        var ours = existing.Where(s => s.StorageBackend != PreferredFootage.MilestoneBackend).ToList();
        var registered = 0;
        var skipped = 0;
        foreach (var sequence in sequences)
        {
            foreach (var (start, end) in Pieces(sequence, TimeSpan.FromSeconds(settings.PieceSeconds), now))
            {
                var key = MilestoneKeys.For(milestoneCamera.DeviceId, start, end);
                if (end <= from || known.Contains(key) || (camera.StorageMode == StorageMode.Both && Covered(ours, start, end)))
                {
                    skipped++;
                    continue;
                }

                var piece = await backend.MaterialiseAsync(key, cancellationToken);
                if (piece is null)
                {
                    skipped++;
                    continue;
                }

                var duration = piece.End - piece.Start;
                var result = await catalog.RegisterAsync(new NewSegment(camera.Id, piece.Start, piece.End, (int)Math.Round(duration.TotalSeconds), piece.Size,
                    PreferredFootage.MilestoneBackend, key, piece.Sha256, null, piece.Keyframes), cancellationToken);
                if (result.Outcome == SegmentRegistrationOutcome.Created)
                {
                    registered++;
                    if (services.GetService<ThumbnailMaker>() is { } thumbnails)
                    {
                        await thumbnails.MakeAsync(new SpooledSegment(camera.Id, Path.GetFileName(piece.Path), piece.Start, piece.End),
                            piece.Path, piece.Keyframes.Entries, backends.Default, cancellationToken);
                    }
                }
            }
        }

        return (registered, skipped);
    }

    /// <summary>The sequence cut into windows of <paramref name="length"/> from its start; a last, shorter window only once the sequence is over.</summary>
    internal static IEnumerable<(DateTimeOffset Start, DateTimeOffset End)> Pieces(RecordedSequence sequence, TimeSpan length, DateTimeOffset now)
    {
        var ended = sequence.TimeEnd < now - Settle;
        for (var start = sequence.TimeBegin; start < sequence.TimeEnd; start += length)
        {
            var end = start + length;
            if (end > sequence.TimeEnd)
            {
                if (!ended)
                {
                    yield break;
                }

                end = sequence.TimeEnd;
            }

            yield return (start, end);
        }
    }

    private static bool Covered(List<Segment> ours, DateTimeOffset start, DateTimeOffset end)
    {
        var cursor = start;
        foreach (var segment in ours.OrderBy(s => s.StartTime))
        {
            if (segment.StartTime - cursor > PreferredFootage.GapTolerance)
            {
                return false;
            }

            if (segment.EndTime > cursor)
            {
                cursor = segment.EndTime;
            }

            if (cursor >= end - PreferredFootage.GapTolerance)
            {
                return true;
            }
        }

        return false;
    }

    private async Task<List<Segment>> LoadAsync(Guid cameraId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var segments = new List<Segment>();
        string? cursor = null;
        do
        {
            var page = await catalog.ListAsync(new SegmentQuery(cameraId, from, to, cursor, 1000), cancellationToken);
            segments.AddRange(page.Items);
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        return segments;
    }
}
