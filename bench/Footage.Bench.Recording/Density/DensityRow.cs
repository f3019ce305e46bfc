using System.Text.Json.Nodes;

namespace Footage.Bench.Recording.Density;

/// <summary>
/// One design at one camera count: how long from its start until every camera had bytes on disk, its processes at the end of the window (and how many ended during it), how many cameras
/// got bytes on disk in the window and at what rate, CPU per camera and against today's recorder, and memory per camera:
/// PSS, USS and RSS of its recording processes (for today's recorder its children: ffmpeg, the key-frame decoder) and the
/// server's share (its growth from idle, divided by the cameras), which a design that replaces only the recording processes
/// keeps.
/// </summary>
public sealed record DensityRow(
    int Cameras, string Key, string Name, double SecondsToEveryCamera, int Processes, int Ended, int CamerasRecording, double MbpsWrittenPerCamera,
    double CpuPercentPerCamera, double CpuVsToday, double PssMbPerCamera, double UssMbPerCamera, double RssMbPerCamera,
    double ServerShareMbPerCamera, double? Load)
{
    public JsonObject ToJson() => new()
    {
        ["cameras"] = Cameras,
        ["design"] = Key,
        ["seconds_to_every_camera_on_disk"] = Round(SecondsToEveryCamera, 1),
        ["processes"] = Processes,
        ["processes_ended_while_measured"] = Ended,
        ["cameras_recording"] = CamerasRecording,
        ["written_mbps_per_camera"] = Round(MbpsWrittenPerCamera, 3),
        ["cpu_percent_per_camera"] = Round(CpuPercentPerCamera, 4),
        ["cpu_vs_today"] = Round(CpuVsToday, 3),
        ["pss_mb_per_camera"] = Round(PssMbPerCamera, 3),
        ["uss_mb_per_camera"] = Round(UssMbPerCamera, 3),
        ["rss_mb_per_camera"] = Round(RssMbPerCamera, 3),
        ["server_share_mb_per_camera"] = Round(ServerShareMbPerCamera, 3),
        ["all_in_pss_mb_per_camera"] = Round(PssMbPerCamera + ServerShareMbPerCamera, 3),
        ["all_in_uss_mb_per_camera"] = Round(UssMbPerCamera + ServerShareMbPerCamera, 3),
        ["load_1min"] = Load,
    };

    // JSON has no NaN: a figure that could not be measured is null
    private static double? Round(double value, int digits) => double.IsFinite(value) ? Math.Round(value, digits) : null;
}
