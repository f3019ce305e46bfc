using Footage.Recording.Cameras;
using Footage.Recording.Spool;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Footage.Recording.Health;

/// <summary>Degraded (a warning, still 200) when the spool disk runs low or a camera that should record does not.</summary>
public sealed class RecordingHealthCheck(SpoolFolder spool, StatusBoard statuses, RecordingManager manager, IOptions<RecordingOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var warnings = new List<string>();
        var free = spool.FreeBytes();
        if (free < options.Value.MinFreeSpoolBytes)
        {
            warnings.Add($"spool disk low: {free} bytes free, alarm below {options.Value.MinFreeSpoolBytes}");
        }

        var notRecording = statuses.All.Where(s => manager.IsRecording(s.CameraId) && s.State is not (RecordingState.Recording or RecordingState.Milestone)).Select(s => $"{s.CameraId}: {s.State}").ToArray();
        if (notRecording.Length > 0)
        {
            warnings.Add("cameras not recording: " + string.Join(", ", notRecording));
        }

        var data = new Dictionary<string, object> { ["spool_free_bytes"] = free };
        return Task.FromResult(warnings.Count == 0
            ? HealthCheckResult.Healthy("recording", data)
            : HealthCheckResult.Degraded(string.Join("; ", warnings), data: data));
    }
}
