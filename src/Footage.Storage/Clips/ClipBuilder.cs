using Footage.Core.Incidents;
using Footage.Core.Time;
using Footage.Storage.Evidence;

namespace Footage.Storage.Clips;

/// <summary>Makes a clip's evidence package: each camera's footage of the clip's range stitched into one MP4, the manifest, signed, in one zip.</summary>
public sealed class ClipBuilder(FootageStitcher stitcher, EvidencePackager packager, IIncidentDirectory incidents, TimeProvider clock)
{
    public async Task<EvidencePackager.Package> BuildAsync(Clip clip, string workFolder, CancellationToken cancellationToken)
    {
        var incident = await incidents.GetAsync(clip.IncidentId, cancellationToken)
            ?? throw new EvidenceFailedException($"Incident {clip.IncidentId} no longer exists.");
        var videos = new List<(string Path, StitchedCamera Entry)>();
        foreach (var cameraId in clip.CameraIds)
        {
            videos.Add(await stitcher.StitchAsync(cameraId, clip.StartTime, clip.EndTime, Path.Combine(workFolder, cameraId.ToString("N")), cancellationToken));
        }

        var margin = TimeSpan.FromSeconds(clip.MarginSeconds);
        var manifest = new ClipManifest(clip.Id, clip.IncidentId, incident.Title, clip.StartTime + margin, clip.EndTime - margin, clip.MarginSeconds,
            clip.StartTime, clip.EndTime, clip.CreatedBy, clip.Reason, clip.CreatedAt, clock.GetUtcNow(),
            videos.Select(v => v.Entry).ToArray(), incident.CameraIds.Except(clip.CameraIds).ToArray(), packager.KeyFingerprint);
        var what = $"clip {clip.Id:D} of incident {clip.IncidentId:D} \"{incident.Title}\", {clip.CameraIds.Count} camera(s) from " +
                   $"{Instants.ToIso(clip.StartTime)} to {Instants.ToIso(clip.EndTime)} (the incident's range and {clip.MarginSeconds} s either side)";
        return await packager.WriteAsync(videos, manifest, what, Path.Combine(workFolder, FileName(clip.Id)), cancellationToken);
    }

    public string KeyFingerprint => packager.KeyFingerprint;

    public static string FileName(Guid clipId) => $"clip-{clipId:D}.zip";

    /// <summary>Where a clip's objects are kept in <c>cctv-clips</c>: <c>incidents/{incident_id}/{clip_id}/</c>.</summary>
    public static string Prefix(Guid incidentId, Guid clipId) => $"incidents/{incidentId:D}/{clipId:D}/";
}
