using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Footage.Core.Segments;
using Footage.Core.Storage;
using Footage.Ffmpeg;
using Footage.ServiceDefaults.Json;
using Footage.Storage.Segments;

namespace Footage.Storage.Exports;

/// <summary>
/// Stitches each camera's segments for the range into one MP4 with ffmpeg's concat demuxer and
/// <c>-c copy</c> (no re-encoding): the first segment enters at the key frame at or before the start,
/// the last leaves at the end; <c>+faststart</c> so the file plays while it downloads. Every source is
/// checked against its catalogued SHA-256 as it is fetched, so an export never carries altered footage.
/// </summary>
public sealed class ExportBuilder(SegmentRepository catalog, IStorageBackendRegistry backends, FfmpegRunner ffmpeg, ConcatStitcher stitcher, TimeProvider clock)
{
    public sealed record Built(string LocalPath, string FileName, string Sha256, long Size, ExportManifest Manifest);

    /// <summary>
    /// The scratch an export takes at most: its sources copied, the stitched file of each camera, and for several cameras
    /// the zip that holds them (stored, not compressed) beside them.
    /// </summary>
    public async Task<long> ScratchBytesAsync(Export export, CancellationToken cancellationToken)
    {
        long sources = 0;
        foreach (var cameraId in export.CameraIds)
        {
            string? cursor = null;
            do
            {
                var page = await catalog.ListAsync(new SegmentQuery(cameraId, export.StartTime, export.EndTime, cursor, 1000, IncludeKeyframes: false), cancellationToken);
                sources += page.Items.Sum(s => s.SizeBytes);
                cursor = page.NextCursor;
            }
            while (cursor is not null);
        }

        return sources * (export.CameraIds.Count > 1 ? 3 : 2);
    }

    public async Task<Built> BuildAsync(Export export, string workFolder, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(workFolder);
        var files = new List<(string Path, ExportManifest.CameraFile Entry)>();
        foreach (var cameraId in export.CameraIds)
        {
            var folder = Path.Combine(workFolder, cameraId.ToString("N"));
            Directory.CreateDirectory(folder);
            files.Add(await StitchCameraAsync(export, cameraId, folder, cancellationToken));
        }

        var manifest = new ExportManifest(export.Id, export.CreatedBy, export.Reason, export.StartTime, export.EndTime, export.CreatedAt,
            clock.GetUtcNow(), files.Select(f => f.Entry).ToArray(), null);
        string outputPath;
        string outputName;
        if (files.Count == 1)
        {
            outputPath = files[0].Path;
            outputName = files[0].Entry.File;
        }
        else
        {
            outputName = "export.zip";
            outputPath = Path.Combine(workFolder, outputName);
            await using var zipFile = new FileStream(outputPath, FileMode.Create, FileAccess.Write);
            await using var zip = new ZipArchive(zipFile, ZipArchiveMode.Create);
            foreach (var (path, entry) in files)
            {
                await zip.CreateEntryFromFileAsync(path, entry.File, CompressionLevel.NoCompression, cancellationToken);
            }

            var manifestEntry = zip.CreateEntry("manifest.json", CompressionLevel.Optimal);
            await using var manifestStream = await manifestEntry.OpenAsync(cancellationToken);
            await JsonSerializer.SerializeAsync(manifestStream, manifest, ManifestJson, cancellationToken);
        }

        var (sha, size) = await HashFileAsync(outputPath, cancellationToken);
        return new Built(outputPath, outputName, sha, size, manifest with { Output = new ExportManifest.OutputFile(outputName, size, sha) });
    }

    public static readonly JsonSerializerOptions ManifestJson = CreateManifestJson();

    private static JsonSerializerOptions CreateManifestJson()
    {
        var options = FootageJson.Create();
        options.WriteIndented = true;
        return options;
    }

    private async Task<(string Path, ExportManifest.CameraFile Entry)> StitchCameraAsync(
        Export export, Guid cameraId, string folder, CancellationToken cancellationToken)
    {
        var segments = new List<Segment>();
        string? cursor = null;
        do
        {
            var page = await catalog.ListAsync(new SegmentQuery(cameraId, export.StartTime, export.EndTime, cursor, 1000, IncludeKeyframes: true), cancellationToken);
            segments.AddRange(page.Items);
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        if (segments.Count == 0)
        {
            throw new ExportFailedException($"Camera {cameraId} has no recorded footage between {export.StartTime:O} and {export.EndTime:O}.");
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
            // the first file from the key frame before the export's start (the stitcher hides the lead frames with an
            // edit list); the files after it whole, or entered where they fill a gap in ours
            var start = i == 0
                ? await KeyframeCut.CutAsync(window.Segment, window.From > export.StartTime ? window.From : export.StartTime, local, cancellationToken)
                : window.Segment.StartTime;
            inputs.Add(new ConcatStitcher.Input(local, start, window.Segment.EndTime, i == 0 ? null : window.From, window.To));
        }

        var name = $"{cameraId:D}.mp4";
        var output = Path.Combine(folder, name);
        await stitcher.StitchAsync(inputs, export.StartTime, export.EndTime, output, cancellationToken);
        var outputProbe = await MediaProbe.ReadAsync(ffmpeg, output, cancellationToken);
        var (sha, size) = await HashFileAsync(output, cancellationToken);

        var gaps = new List<ExportManifest.Gap>();
        var cursorTime = export.StartTime;
        foreach (var segment in segments)
        {
            if (segment.StartTime - cursorTime > TimeSpan.FromSeconds(1))
            {
                gaps.Add(new ExportManifest.Gap(cursorTime, segment.StartTime));
            }

            cursorTime = segment.EndTime > cursorTime ? segment.EndTime : cursorTime;
        }

        if (export.EndTime - cursorTime > TimeSpan.FromSeconds(1))
        {
            gaps.Add(new ExportManifest.Gap(cursorTime, export.EndTime));
        }

        var sources = segments.Select(s => new ExportManifest.SourceSegment(s.Id, s.StartTime, s.EndTime, s.StorageBackend, s.StoragePath, s.Checksum)).ToArray();
        return (output, new ExportManifest.CameraFile(cameraId, name, size, sha, Math.Round(outputProbe.DurationSeconds, 3), sources, gaps));
    }

    private async Task FetchVerifiedAsync(Segment segment, string local, CancellationToken cancellationToken)
    {
        if (!backends.TryGet(segment.StorageBackend, out var backend))
        {
            throw new ExportFailedException($"Segment {segment.Id} is on backend '{segment.StorageBackend}', which is not enabled on this host.");
        }

        try
        {
            if (!await VerifiedDownload.ToFileAsync(backend, StorageBuckets.Recordings, segment.StoragePath, segment.Checksum, local, cancellationToken))
            {
                throw new ExportFailedException($"Segment {segment.Id} ({segment.StoragePath}) is missing from backend '{segment.StorageBackend}'.");
            }
        }
        catch (ChecksumMismatchException e)
        {
            throw new ExportFailedException(
                $"Checksum mismatch: segment {segment.Id} ({segment.StoragePath}) hashes to SHA-256 {e.Actual}, not the {e.Expected} recorded when it was stored; the footage was altered or damaged, so it is not exported.");
        }
    }

    private static async Task<(string Sha256, long Size)> HashFileAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        var hash = await SHA256.HashDataAsync(stream, cancellationToken);
        return (Convert.ToHexStringLower(hash), stream.Length);
    }
}
