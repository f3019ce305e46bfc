using System.Text.RegularExpressions;
using Footage.Core.Live;
using Footage.Core.Segments;
using Footage.Core.Storage;
using Footage.Recording.Scanning;
using Footage.Recording.Spool;

namespace Footage.Recording.Live;

/// <summary>
/// The live edge read from this recorder's spool: files closed but not uploaded yet (times from their sidecar or the
/// run's segment list) and the file ffmpeg is writing, timed from its run's anchor and the end of the run's last closed
/// file (as <see cref="SegmentFinisher"/> will time it), indexed as it grows and offered up to its last whole group of pictures.
/// </summary>
public sealed partial class SpoolLiveSegments(SpoolFolder spool, SpoolScans scans) : ILiveSegmentSource
{
    public async Task<IReadOnlyList<LiveSegment>> ListAsync(Guid cameraId, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(spool.Root, cameraId.ToString("D"));
        if (!Directory.Exists(folder))
        {
            return [];
        }

        var timed = new Dictionary<string, (DateTimeOffset Start, DateTimeOffset? End)>(StringComparer.Ordinal);
        foreach (var sidecar in Directory.EnumerateFiles(folder, "*.ts" + SpooledSegment.Extension))
        {
            if (await SpooledSegment.ReadAsync(sidecar, cancellationToken) is { } closed)
            {
                timed[closed.File] = (closed.StartTime, closed.EndTime);
            }
        }

        foreach (var run in SpoolFolder.Runs(folder))
        {
            if (RunAnchor.Read(folder, run) is not { } anchor)
            {
                continue;
            }

            var entries = SegmentListEntry.ReadAll(Path.Combine(folder, SpoolFolder.ListFile(run)));
            foreach (var entry in entries)
            {
                timed.TryAdd(entry.File, (anchor.Start.AddSeconds(entry.Start), anchor.Start.AddSeconds(entry.End)));
            }

            // the run's newest file that is neither listed nor finished is the one being written
            var open = SpoolFolder.SegmentFiles(folder, run).Select(Path.GetFileName).LastOrDefault(f => f is not null && !timed.ContainsKey(f));
            if (open is not null)
            {
                var lastEnd = entries.Count > 0 ? entries.Max(e => e.End) : 0;
                timed[open] = (anchor.Start.AddSeconds(lastEnd), null);
            }
        }

        var segments = new List<LiveSegment>();
        foreach (var (file, (start, end)) in timed)
        {
            var path = Path.Combine(folder, file);
            if (await TryScanAsync(path, cancellationToken) is { } scan && ToLive(file, start, end, scan) is { } live)
            {
                segments.Add(live);
            }
        }

        // the scans of this camera's files that are gone from the spool (uploaded)
        scans.ForgetAllBut(folder, timed.Keys.Select(f => Path.Combine(folder, f)).ToHashSet(StringComparer.Ordinal));
        return segments.OrderBy(s => s.StartTime).ToList();
    }

    /// <summary>The file's scan so far; null when the uploader has just taken it away.</summary>
    private async Task<TsScan?> TryScanAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return File.Exists(path) ? await scans.For(path).AdvanceAsync(cancellationToken) : null;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    public async Task<Stream?> OpenReadAsync(Guid cameraId, string file, ByteRange range, CancellationToken cancellationToken)
    {
#pragma warning disable CA2000 // handed to the caller in the BoundedStream, or disposed below when the range is past its end
        var stream = OpenFile(cameraId, file);
#pragma warning restore CA2000
        if (stream is null)
        {
            return null;
        }

        if (range.To >= stream.Length)
        {
            await stream.DisposeAsync();
            return null;
        }

        stream.Position = range.From;
        return new BoundedStream(stream, range.Length);
    }

    /// <summary>A spool file of the camera opened for reading while ffmpeg may still append to it; null when there is no such file.</summary>
    public FileStream? OpenFile(Guid cameraId, string file)
    {
        if (!SpoolFileName().IsMatch(file))
        {
            return null;
        }

        try
        {
            return new FileStream(Path.Combine(spool.Root, cameraId.ToString("D"), file), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16, useAsync: true);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    private static LiveSegment? ToLive(string file, DateTimeOffset start, DateTimeOffset? end, TsScan scan)
    {
        var keys = scan.Keyframes;
        if (end is { } closedAt)
        {
            return scan.IsPlayable ? new LiveSegment(file, start, closedAt, scan.ValidLength, scan.ToIndex(), Open: false) { Frames = scan.RecentFrames } : null;
        }

        // still being written: whole groups of pictures only, up to (not including) the last key frame seen (the pictures
        // after it are in Frames, for partial segments; so the file is listed from its first key frame on)
        if (keys.Count < 1)
        {
            return null;
        }

        var last = keys[^1];
        return new LiveSegment(file, start, start.AddMilliseconds(last.OffsetMilliseconds), last.ByteOffset, new KeyframeIndex(keys.Take(keys.Count - 1).ToArray()), Open: true)
        {
            Frames = scan.RecentFrames,
        };
    }

    [GeneratedRegex(@"^r[0-9]+-[0-9]{6}\.ts$")]
    private static partial Regex SpoolFileName();
}
