using Footage.Core.Time;
using Footage.Storage.Evidence;

namespace Footage.Storage.Exports;

/// <summary>
/// Makes an export's evidence package: each camera's footage of the range stitched into one MP4 (<see cref="FootageStitcher"/>),
/// the manifest, signed, in one zip.
/// </summary>
public sealed class ExportBuilder(FootageStitcher stitcher, EvidencePackager packager, TimeProvider clock)
{
    public async Task<EvidencePackager.Package> BuildAsync(Export export, string workFolder, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(workFolder);
        var videos = new List<(string Path, StitchedCamera Entry)>();
        foreach (var cameraId in export.CameraIds)
        {
            videos.Add(await stitcher.StitchAsync(cameraId, export.StartTime, export.EndTime, Path.Combine(workFolder, cameraId.ToString("N")), cancellationToken));
        }

        var manifest = new ExportManifest(export.Id, export.CreatedBy, export.Reason, export.StartTime, export.EndTime, export.CreatedAt,
            clock.GetUtcNow(), videos.Select(v => v.Entry).ToArray(), packager.KeyFingerprint);
        var what = $"export {export.Id:D} of {export.CameraIds.Count} camera(s) from {Instants.ToIso(export.StartTime)} to {Instants.ToIso(export.EndTime)}";
        return await packager.WriteAsync(videos, manifest, what, Path.Combine(workFolder, FileName(export.Id)), cancellationToken);
    }

    public static string FileName(Guid exportId) => $"export-{exportId:D}.zip";
}
