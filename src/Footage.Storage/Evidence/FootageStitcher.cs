using System.Security.Cryptography;
using Footage.Core.Segments;
using Footage.Core.Storage;
using Footage.Ffmpeg;
using Footage.Storage.Segments;

namespace Footage.Storage.Evidence;

/// <summary>
/// Stitches one camera's segments for a range into one MP4 with ffmpeg's concat demuxer and <c>-c copy</c> (no re-encoding):
/// the first segment enters at the key frame at or before the start, the last leaves at the end; <c>+faststart</c> so the file
/// plays while it downloads. Every source is checked against its catalogued SHA-256 as it is fetched, so an export or a clip
/// never carries altered footage.
/// </summary>
public sealed class FootageStitcher(SegmentRepository catalog, IStorageBackendRegistry backends, FfmpegRunner ffmpeg, ConcatStitcher stitcher)
{
    public async Task<(string Path, StitchedCamera Entry)> StitchAsync(
        Guid cameraId, DateTimeOffset from, DateTimeOffset to, string folder, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        var segments = new List<Segment>();
        string? cursor = null;
        do
        {
            var page = await catalog.ListAsync(new SegmentQuery(cameraId, from, to, cursor, 1000, IncludeKeyframes: true), cancellationToken);
            segments.AddRange(page.Items);
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        if (segments.Count == 0)
        {
            throw new EvidenceFailedException($"Camera {cameraId} has no recorded footage between {from:O} and {to:O}.");
        }

        // storage mode BOTH: our footage first, Milestone's only in our gaps
        var windows = PreferredFootage.SelectForCopy(segments);
        segments = windows.Select(w => w.Segment).Distinct().ToList();
        var inputs = new List<ConcatStitcher.Input>(windows.Count);
        for (var i = 0; i < windows.Count; i++)
        {
            var local = Path.Combine(folder, $"{i:D5}.ts");
            var window = windows[i];
            await FetchVerifiedAsync(window.Segment, local, cancellationToken);
            // the first file from the key frame before the range's start (the stitcher hides the lead frames with an
            // edit list); the files after it whole, or entered where they fill a gap in ours
            var start = i == 0
                ? await KeyframeCut.CutAsync(window.Segment, window.From > from ? window.From : from, local, cancellationToken)
                : window.Segment.StartTime;
            inputs.Add(new ConcatStitcher.Input(local, start, window.Segment.EndTime, i == 0 ? null : window.From, window.To));
        }

        var name = $"{cameraId:D}.mp4";
        var output = Path.Combine(folder, name);
        await stitcher.StitchAsync(inputs, from, to, output, cancellationToken);
        var outputProbe = await MediaProbe.ReadAsync(ffmpeg, output, cancellationToken);
        var (sha, size) = await HashFileAsync(output, cancellationToken);
        foreach (var input in inputs)
        {
            File.Delete(input.LocalPath); // the sources are in the MP4 now; a long range must not need its footage twice on disk
        }

        var sources = segments.Select(s => new StitchedCamera.SourceSegment(s.Id, s.StartTime, s.EndTime, s.StorageBackend, s.StoragePath, s.Checksum)).ToArray();
        return (output, new StitchedCamera(cameraId, name, size, sha, Math.Round(outputProbe.DurationSeconds, 3), sources, Gaps(segments, from, to)));
    }

    /// <summary>
    /// The scratch that stitching these cameras' footage of the range and packing it takes at most: twice the recorded
    /// bytes (a camera's sources are removed once its MP4 is made, so the peak is the MP4s and the zip that copies them).
    /// </summary>
    public async Task<long> ScratchBytesAsync(IEnumerable<Guid> cameraIds, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        long sources = 0;
        foreach (var cameraId in cameraIds)
        {
            string? cursor = null;
            do
            {
                var page = await catalog.ListAsync(new SegmentQuery(cameraId, from, to, cursor, 1000, IncludeKeyframes: false), cancellationToken);
                sources += page.Items.Sum(s => s.SizeBytes);
                cursor = page.NextCursor;
            }
            while (cursor is not null);
        }

        return sources * 2;
    }

    public static async Task<(string Sha256, long Size)> HashFileAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        var hash = await SHA256.HashDataAsync(stream, cancellationToken);
        return (Convert.ToHexStringLower(hash), stream.Length);
    }

    private static List<StitchedCamera.Gap> Gaps(List<Segment> segments, DateTimeOffset from, DateTimeOffset to)
    {
        var gaps = new List<StitchedCamera.Gap>();
        var cursorTime = from;
        foreach (var segment in segments)
        {
            if (segment.StartTime - cursorTime > TimeSpan.FromSeconds(1))
            {
                gaps.Add(new StitchedCamera.Gap(cursorTime, segment.StartTime));
            }

            cursorTime = segment.EndTime > cursorTime ? segment.EndTime : cursorTime;
        }

        if (to - cursorTime > TimeSpan.FromSeconds(1))
        {
            gaps.Add(new StitchedCamera.Gap(cursorTime, to));
        }

        return gaps;
    }

    private async Task FetchVerifiedAsync(Segment segment, string local, CancellationToken cancellationToken)
    {
        if (!backends.TryGet(segment.StorageBackend, out var backend))
        {
            throw new EvidenceFailedException($"Segment {segment.Id} is on backend '{segment.StorageBackend}', which is not enabled on this host.");
        }

        try
        {
            if (!await VerifiedDownload.ToFileAsync(backend, segment.StorageBucket, segment.StoragePath, segment.Checksum, local, cancellationToken))
            {
                throw new EvidenceFailedException($"Segment {segment.Id} ({segment.StoragePath}) is missing from backend '{segment.StorageBackend}'.");
            }
        }
        catch (ChecksumMismatchException e)
        {
            throw new EvidenceFailedException(
                $"Checksum mismatch: segment {segment.Id} ({segment.StoragePath}) hashes to SHA-256 {e.Actual}, not the {e.Expected} recorded when it was stored; the footage was altered or damaged, so it is not exported.");
        }
    }
}
