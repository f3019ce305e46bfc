using System.Globalization;
using System.Security.Cryptography;
using Footage.Core.Segments;
using Footage.Core.Storage;
using Footage.Recording.Scanning;
using Footage.Storage.Integrity;
using Footage.Storage.Quarantine;
using Footage.Storage.Segments;

namespace Footage.Server.Repair;

/// <summary>
/// Re-registers stored objects that no catalog row points at (after a catalog restored from a backup older than the
/// footage): the integrity scrub's reconciliation finds them, then each segment object is read once, indexed and hashed as
/// the recorder does (key frames, duration, SHA-256) and registered under the camera and start its key names. Held copies
/// come back as held segments, quarantined recordings as quarantined. Objects whose key Footage did not make, or that are
/// not whole MPEG-TS recordings, are listed and left alone. Nothing is deleted.
/// </summary>
public sealed class OrphanRepair(IntegrityScrub scrub, IntegrityFindings findings, SegmentRepository segments, QuarantineRepository quarantine,
    IStorageBackendRegistry backends, TextWriter output)
{
    public async Task<RepairReport> RunAsync(bool dryRun, CancellationToken cancellationToken)
    {
        await scrub.ReconcileAsync(cancellationToken);
        var report = new RepairReport();
        foreach (var orphan in await findings.OpenAsync(FindingKinds.OrphanObject, int.MaxValue, cancellationToken))
        {
            var outcome = dryRun ? Describe(orphan) : await RepairAsync(orphan, cancellationToken);
            report.Add(outcome);
            await output.WriteLineAsync($"{outcome.Action,-12} {orphan.Backend} {orphan.Bucket}/{orphan.Path}: {outcome.Detail}");
        }

        if (!dryRun)
        {
            await scrub.ReconcileAsync(cancellationToken); // what was registered is no longer an orphan
        }

        return report;
    }

    private static RepairOutcome Describe(IntegrityFinding orphan) => Kind(orphan) switch
    {
        OrphanKind.Segment => new("would-register", "a segment: would be indexed, hashed and registered"),
        OrphanKind.Held => new("would-register", "a held copy: would be registered as a held segment"),
        OrphanKind.Quarantined => new("would-register", "a quarantined recording: would be listed in the quarantine again"),
        _ => new("skipped", "not a key Footage makes; left for an operator"),
    };

    private async Task<RepairOutcome> RepairAsync(IntegrityFinding orphan, CancellationToken cancellationToken)
    {
        var kind = Kind(orphan);
        if (kind == OrphanKind.Unknown || !backends.TryGet(orphan.Backend, out var backend))
        {
            return new("skipped", "not a key Footage makes (or its backend is not enabled here); left for an operator");
        }

        var segmentKey = kind switch
        {
            OrphanKind.Held => orphan.Path[ObjectKeys.HeldPrefix.Length..],
            OrphanKind.Quarantined => QuarantinedSegmentKey(orphan.Path)!,
            _ => orphan.Path,
        };
        if (!ObjectKeys.TryParseSegment(segmentKey, out var camera, out var start) && !ObjectKeys.TryParseLegacySegment(segmentKey, out camera, out start))
        {
            return new("skipped", "not a key Footage makes; left for an operator");
        }

        var scanned = await ScanAsync(backend, orphan.Bucket, orphan.Path, cancellationToken);
        if (scanned is not var (scan, sha256, size) || !scan.IsPlayable || scan.ValidLength != size)
        {
            return new("skipped", "not a whole MPEG-TS recording with a key frame; left for an operator");
        }

        var end = start + TimeSpan.FromSeconds(scan.DurationSeconds);
        var segment = new NewSegment(camera, start, end, (int)Math.Round(scan.DurationSeconds), size, backend.Name, orphan.Path, sha256, null, scan.ToIndex());
        if (kind == OrphanKind.Quarantined)
        {
            var filed = await quarantine.AddAsync(segment, null, "re-registered by 'repair register-orphans' after a catalog restore", cancellationToken);
            return new("registered", $"quarantined recording {filed.Id}");
        }

        var registration = await segments.RegisterAsync(segment, orphan.Bucket, cancellationToken);
        return registration.Outcome switch
        {
            SegmentRegistrationOutcome.Conflict => new("conflict", $"the catalog already holds segment {registration.Segment.Id} at camera {camera} and {start:O}; left as is"),
            // a held copy whose original was registered a moment ago and moved to it at once (the hold is still recorded)
            SegmentRegistrationOutcome.AlreadyRegistered => new("catalogued", $"already segment {registration.Segment.Id}"),
            _ => new("registered", string.Create(CultureInfo.InvariantCulture,
                $"segment {registration.Segment.Id}: camera {camera}, {start:O} to {end:O}, {size} bytes, {scan.Keyframes.Count} key frames, SHA-256 {sha256}")),
        };
    }

    /// <summary>Reads the object once: the scan the recorder makes (key frames, duration) and its SHA-256 and size.</summary>
    private static async Task<(TsScan Scan, string Sha256, long Size)?> ScanAsync(IStorageBackend backend, string bucket, string key, CancellationToken cancellationToken)
    {
        await using var read = await backend.OpenReadAsync(bucket, key, null, cancellationToken);
        if (read is null)
        {
            return null;
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using var counting = new CountingStream(read.Content);
        var scan = await TsScanner.ScanAsync(counting, cancellationToken, hash);
        // the scan may stop early (not TS): read the rest so that the hash and size cover the whole object
        var buffer = new byte[1 << 16];
        int n;
        while ((n = await counting.ReadAsync(buffer, cancellationToken)) > 0)
        {
            hash.AppendData(buffer, 0, n);
        }

        return (scan, Convert.ToHexStringLower(hash.GetHashAndReset()), counting.BytesRead);
    }

    private static OrphanKind Kind(IntegrityFinding orphan) =>
        orphan.Bucket == StorageBuckets.Recordings &&
        (ObjectKeys.TryParseSegment(orphan.Path, out _, out _) || ObjectKeys.TryParseLegacySegment(orphan.Path, out _, out _)) ? OrphanKind.Segment
        : orphan.Bucket == StorageBuckets.Clips && orphan.Path.StartsWith(ObjectKeys.HeldPrefix, StringComparison.Ordinal) &&
          (ObjectKeys.TryParseSegment(orphan.Path[ObjectKeys.HeldPrefix.Length..], out _, out _) ||
           ObjectKeys.TryParseLegacySegment(orphan.Path[ObjectKeys.HeldPrefix.Length..], out _, out _)) ? OrphanKind.Held
        : orphan.Bucket == StorageBuckets.Clips && QuarantinedSegmentKey(orphan.Path) is not null ? OrphanKind.Quarantined
        : OrphanKind.Unknown;

    /// <summary>The segment key a quarantine key was made from (its SHA-256 suffix taken off), or null.</summary>
    private static string? QuarantinedSegmentKey(string key)
    {
        if (!key.StartsWith(ObjectKeys.QuarantinePrefix, StringComparison.Ordinal) || key.Length < ObjectKeys.QuarantinePrefix.Length + 68 || key[^68] != '-')
        {
            return null;
        }

        var segmentKey = key[ObjectKeys.QuarantinePrefix.Length..^68] + ".ts";
        return ObjectKeys.TryParseSegment(segmentKey, out var camera, out var start) &&
               ObjectKeys.ForQuarantine(camera, start, key[^67..^3]) == key
            ? segmentKey
            : null;
    }

    private enum OrphanKind
    {
        Unknown,
        Segment,
        Held,
        Quarantined,
    }
}
