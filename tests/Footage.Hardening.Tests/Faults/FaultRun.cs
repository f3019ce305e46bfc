using System.Diagnostics;
using Footage.Testing;
using System.Globalization;
using CliWrap.Buffered;
using Xunit;

namespace Footage.Hardening.Tests.Faults;

/// <summary>What every fault test shares: the CI or long variant, fast recorder settings, waiting, and the captured count.</summary>
public static class FaultRun
{
    public static readonly bool Long = string.Equals(Environment.GetEnvironmentVariable("Footage__Hardening__Long"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>2 s segments and short timeouts, so that a fault shows in seconds.</summary>
    public static Dictionary<string, string?> FastSettings() => FastRecordingSettings.Create();

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, Func<string>? context = null)
    {
        var clock = Stopwatch.StartNew();
        var patience = TimeSpan.FromSeconds(Long ? 600 : 120);
        while (!await condition())
        {
            Assert.True(clock.Elapsed < patience, $"timed out waiting until {what}" + (context is null ? "" : "\n" + context()));
            await Task.Delay(200);
        }
    }

    /// <summary>
    /// True once ffmpeg's newest file in the spool folder is still its newest after <paramref name="howLong"/>: a kill then
    /// lands mid-segment (2 s segments). Only the muxer's own files count (not the thumbnail maker's cut). By size it cannot be told: ffmpeg's buffered writes may leave a file empty until it closes.
    /// </summary>
    public static async Task<bool> WritingForAsync(string spool, TimeSpan howLong)
    {
        var newest = NewestSegmentFile(spool);
        await Task.Delay(howLong);
        return newest is not null && newest == NewestSegmentFile(spool);
    }

    private static string? NewestSegmentFile(string spool) =>
        Directory.Exists(spool) ? Directory.GetFiles(spool, "r*-*.ts").Select(Path.GetFileName).Where(n => SpoolWatcher.IsMuxerFile(n!)).Max(StringComparer.Ordinal) : null;

    /// <summary>The ffmpeg (or footage-recorder) writing into this spool folder (its working folder), found in /proc.</summary>
    public static Process? RecorderOf(string spool)
    {
        var all = RecordersOf(spool);
        foreach (var other in all.Skip(1))
        {
            other.Dispose();
        }

        return all.FirstOrDefault();
    }

    /// <summary>
    /// Every recording process (ffmpeg, or footage-recorder of the remuxer engine) working in this spool folder (more than
    /// one would mean two writers of one camera).
    /// </summary>
    public static List<Process> RecordersOf(string spool)
    {
        var found = new List<Process>();
        foreach (var process in Process.GetProcessesByName("ffmpeg").Concat(Process.GetProcessesByName("footage-recorder")))
        {
            try
            {
                var cwd = new DirectoryInfo($"/proc/{process.Id}/cwd").ResolveLinkTarget(returnFinalTarget: true)?.FullName;
                if (cwd is not null && Path.GetFullPath(cwd).TrimEnd('/') == Path.GetFullPath(spool).TrimEnd('/'))
                {
                    found.Add(process);
                    continue;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }

            process.Dispose();
        }

        return found;
    }

    /// <summary>
    /// The spool files that held footage: every file seen with bytes, less those the recorder rejected that hold no video
    /// frame at all (ffmpeg can leave one of table packets only when the camera vanishes or the process dies). A rejected
    /// file with frames stays counted, so the test fails on it: that would be captured footage lost.
    /// </summary>
    public static async Task<int> CapturedWithFramesAsync(SpoolWatcher watcher, string dataDirectory, Guid cameraId, string? spoolRoot = null)
    {
        var rejected = Path.Combine(spoolRoot ?? Path.Combine(dataDirectory, "spool"), "rejected", cameraId.ToString("D"));
        var empty = 0;
        foreach (var file in Directory.Exists(rejected) ? Directory.GetFiles(rejected, "*.ts") : [])
        {
            if (await VideoPacketsAsync(file) == 0)
            {
                empty++;
            }
        }

        return watcher.Captured - empty;
    }

    /// <summary>Video packets in a TS file by ffprobe (0 when it has none or cannot be read).</summary>
    public static async Task<long> VideoPacketsAsync(string file)
    {
        var probe = await CliWrap.Cli.Wrap("ffprobe")
            .WithArguments(["-v", "error", "-select_streams", "v:0", "-count_packets", "-show_entries", "stream=nb_read_packets", "-of", "csv=p=0", file])
            .WithValidation(CliWrap.CommandResultValidation.None)
            .ExecuteBufferedAsync();
        return long.TryParse(probe.StandardOutput.Trim().TrimEnd(','), NumberStyles.Integer, CultureInfo.InvariantCulture, out var packets) ? packets : 0;
    }

    public static string Seconds(double value) => value.ToString("F1", CultureInfo.InvariantCulture);
}
