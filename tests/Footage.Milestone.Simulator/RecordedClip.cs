using System.Globalization;
using CliWrap;
using CliWrap.Buffered;

namespace Footage.Milestone.Simulator;

/// <summary>
/// Real recorded video for the simulator: ffmpeg encodes its test picture with libx264 or libx265 (an access unit
/// delimiter before every frame, SPS/PPS repeated before every key frame, a key frame every second, as cameras send
/// them), with or without B-frames, or as JPEG pictures (MJPEG). The stream is split into frames in decode order with
/// their true key-frame flags; each frame also knows its presentation slot (its place in display order), which ffprobe
/// reads from the encoder's own timestamps, so that the simulator can stamp B-frame streams the way a recorder does.
/// </summary>
public sealed class RecordedClip
{
    public const int FramesPerSecond = 25;

    private RecordedClip(IReadOnlyList<ClipFrame> frames, ClipFormat format)
    {
        Frames = frames;
        Format = format;
        var latest = 0;
        Arrival = new long[frames.Count];
        for (var i = 0; i < frames.Count; i++)
        {
            latest = Math.Max(latest, frames[i].Slot);
            Arrival[i] = latest * StepMilliseconds;
        }
    }

    public IReadOnlyList<ClipFrame> Frames { get; }

    public ClipFormat Format { get; }

    public static long StepMilliseconds => 1000 / FramesPerSecond;

    /// <summary>
    /// When each frame reaches the recorder, in ms from the clip's start: a camera sends a frame once every picture it
    /// depends on was captured, so with B-frames a reference frame and the B-frames after it in decode order arrive
    /// together (the same millisecond), and the times never go back. Without B-frames it is simply the capture time.
    /// </summary>
    public long[] Arrival { get; }

    public long DurationMilliseconds => Frames.Count * StepMilliseconds;

    public static async Task<RecordedClip> EncodeAsync(double seconds, ClipFormat format, string size, CancellationToken cancellationToken)
    {
        // whole GOPs, so that the clip can be looped for recordings longer than itself
        var whole = Math.Max(1, (int)Math.Ceiling(seconds)).ToString(CultureInfo.InvariantCulture);
        var folder = Path.Combine(Path.GetTempPath(), $"milestone-sim-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            string[] input = ["-f", "lavfi", "-i", $"testsrc2=size={size}:rate={FramesPerSecond}", "-t", whole, "-pix_fmt", "yuv420p"];
            if (format == ClipFormat.Jpeg)
            {
                var mjpeg = Path.Combine(folder, "clip.mjpeg");
                await FfmpegAsync([.. input, "-c:v", "mjpeg", "-q:v", "5", "-f", "mjpeg", mjpeg], cancellationToken);
                var pictures = SplitJpeg(await File.ReadAllBytesAsync(mjpeg, cancellationToken));
                return new RecordedClip(pictures.Select((p, i) => new ClipFrame(true, p, i)).ToList(), format);
            }

            var hevc = format is ClipFormat.H265 or ClipFormat.H265BFrames;
            var bframes = format is ClipFormat.H264BFrames or ClipFormat.H265BFrames ? 3 : 0;
            string[] codec = hevc
                ? ["-c:v", "libx265", "-preset", "ultrafast", "-x265-params",
                    $"aud=1:repeat-headers=1:keyint={FramesPerSecond}:min-keyint={FramesPerSecond}:scenecut=0:bframes={bframes}:open-gop=0:log-level=error"]
                : ["-c:v", "libx264", "-preset", "ultrafast", "-bf", bframes.ToString(CultureInfo.InvariantCulture), "-g", FramesPerSecond.ToString(CultureInfo.InvariantCulture),
                    "-keyint_min", FramesPerSecond.ToString(CultureInfo.InvariantCulture), "-sc_threshold", "0", "-x264-params", "aud=1:repeat-headers=1"];
            var ts = Path.Combine(folder, "clip.ts");
            var raw = Path.Combine(folder, "clip.es");
            await FfmpegAsync([.. input, .. codec, "-f", "mpegts", ts], cancellationToken);
            await FfmpegAsync(["-i", ts, "-map", "0:v:0", "-c", "copy", "-f", hevc ? "hevc" : "h264", raw], cancellationToken);
            var slots = await PresentationSlotsAsync(ts, cancellationToken);
            var frames = Split(await File.ReadAllBytesAsync(raw, cancellationToken), hevc);
            if (frames.Count != slots.Count)
            {
                throw new InvalidOperationException($"The simulator's clip has {frames.Count} frames but ffprobe counted {slots.Count} packets.");
            }

            return new RecordedClip(frames.Select((f, i) => new ClipFrame(f.Key, f.Data, slots[i])).ToList(), format);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task FfmpegAsync(string[] arguments, CancellationToken cancellationToken)
    {
        var result = await Cli.Wrap("ffmpeg")
            .WithArguments(["-hide_banner", "-nostdin", "-y", "-loglevel", "error", .. arguments])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException("ffmpeg could not make the simulator's recording: " + result.StandardError);
        }
    }

    /// <summary>Each packet's place in display order, in decode order (its PTS in frame steps from the first).</summary>
    private static async Task<List<int>> PresentationSlotsAsync(string ts, CancellationToken cancellationToken)
    {
        var result = await Cli.Wrap("ffprobe")
            .WithArguments(["-v", "error", "-select_streams", "v:0", "-show_entries", "packet=pts", "-of", "csv=p=0", ts])
            .ExecuteBufferedAsync(cancellationToken);
        var pts = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => long.Parse(l.TrimEnd(','), CultureInfo.InvariantCulture)).ToList();
        var first = pts.Min();
        return pts.Select(p => (int)Math.Round((p - first) / (90_000.0 / FramesPerSecond))).ToList();
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

    /// <summary>Cuts an MJPEG stream into its pictures (each starts with the SOI marker FF D8 FF).</summary>
    private static List<byte[]> SplitJpeg(byte[] stream)
    {
        var starts = new List<int>();
        ReadOnlySpan<byte> soi = [0xFF, 0xD8, 0xFF];
        for (var at = 0; at < stream.Length;)
        {
            var found = stream.AsSpan(at).IndexOf(soi);
            if (found < 0)
            {
                break;
            }

            starts.Add(at + found);
            at += found + soi.Length;
        }

        return starts.Select((s, i) => stream[s..(i + 1 < starts.Count ? starts[i + 1] : stream.Length)]).ToList();
    }
}

/// <summary>A frame of a clip, in decode order: key flag, bytes (Annex-B or a JPEG picture) and its presentation slot.</summary>
public sealed record ClipFrame(bool Key, byte[] Data, int Slot);

/// <summary>What a simulated camera sends its recorder.</summary>
public enum ClipFormat
{
    H264,
    H265,
    H264BFrames,
    H265BFrames,
    Jpeg,
}
