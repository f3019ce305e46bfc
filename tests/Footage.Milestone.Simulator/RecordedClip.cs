using System.Globalization;
using CliWrap;
using CliWrap.Buffered;

namespace Footage.Milestone.Simulator;

/// <summary>
/// Real recorded video for the simulator: ffmpeg encodes its test picture with libx264 (or libx265) into an
/// Annex-B elementary stream with an access unit delimiter before every frame and SPS/PPS repeated before every
/// key frame (as cameras send them); the stream is split into frames with their true key-frame flags.
/// </summary>
public sealed class RecordedClip
{
    private RecordedClip(IReadOnlyList<(bool Key, byte[] Data)> frames, int fps, bool hevc)
    {
        Frames = frames;
        FramesPerSecond = fps;
        Hevc = hevc;
    }

    public IReadOnlyList<(bool Key, byte[] Data)> Frames { get; }

    public int FramesPerSecond { get; }

    public bool Hevc { get; }

    public static async Task<RecordedClip> EncodeAsync(double seconds, bool hevc, string size, CancellationToken cancellationToken)
    {
        const int fps = 25;
        var path = Path.Combine(Path.GetTempPath(), $"milestone-sim-{Guid.NewGuid():N}.{(hevc ? "h265" : "h264")}");
        try
        {
            string[] codec = hevc
                ? ["-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "aud=1:repeat-headers=1:keyint=25:min-keyint=25:scenecut=0:bframes=0:log-level=error", "-f", "hevc"]
                : ["-c:v", "libx264", "-preset", "ultrafast", "-bf", "0", "-g", "25", "-keyint_min", "25", "-sc_threshold", "0", "-x264-params", "aud=1:repeat-headers=1", "-f", "h264"];
            var result = await Cli.Wrap("ffmpeg")
                .WithArguments(
                [
                    "-hide_banner", "-nostdin", "-y", "-loglevel", "error",
                    "-f", "lavfi", "-i", $"testsrc2=size={size}:rate={fps}",
                    "-t", seconds.ToString(CultureInfo.InvariantCulture), "-pix_fmt", "yuv420p", .. codec, path,
                ])
                .WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync(cancellationToken);
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException("ffmpeg could not encode the simulator's recording: " + result.StandardError);
            }

            return new RecordedClip(Split(await File.ReadAllBytesAsync(path, cancellationToken), hevc), fps, hevc);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Cuts an Annex-B stream at its access unit delimiters; a frame is a key frame when it holds an IDR (H.264) or IRAP (H.265) slice.</summary>
    internal static List<(bool Key, byte[] Data)> Split(byte[] stream, bool hevc)
    {
        var nals = new List<(int Start, int Type)>();
        for (var i = 0; i + 3 < stream.Length; i++)
        {
            if (stream[i] == 0 && stream[i + 1] == 0 && stream[i + 2] == 1)
            {
                var start = i > 0 && stream[i - 1] == 0 ? i - 1 : i;
                var header = stream[i + 3];
                nals.Add((start, hevc ? (header >> 1) & 0x3F : header & 0x1F));
                i += 2;
            }
        }

        var aud = hevc ? 35 : 9;
        var frames = new List<(bool, byte[])>();
        for (var n = 0; n < nals.Count;)
        {
            var end = n + 1;
            while (end < nals.Count && nals[end].Type != aud)
            {
                end++;
            }

            var from = nals[n].Start;
            var to = end < nals.Count ? nals[end].Start : stream.Length;
            var key = nals.Skip(n).Take(end - n).Any(x => hevc ? x.Type is >= 16 and <= 23 : x.Type == 5);
            frames.Add((key, stream[from..to]));
            n = end;
        }

        return frames;
    }
}
