using System.Security.Cryptography;
using Footage.Ffmpeg;
using Footage.Milestone.ImageServer;
using Footage.Recording.Scanning;

namespace Footage.Milestone.Transmux;

/// <summary>
/// Turns Milestone's frames into MPEG-TS with ffmpeg <c>-c copy</c> (no re-encoding): each Annex-B frame goes in with
/// its own timestamp (<see cref="ElementaryTsWriter"/>), ffmpeg's TS muxer writes the stored form (PAT and PMT before
/// every key frame, like the recorder's files), and the key-frame index is read back by the recorder's TS scanner.
/// </summary>
public sealed class FrameTransmuxer(FfmpegRunner ffmpeg)
{
    /// <summary>Writes the frames to <paramref name="outputPath"/>; null when there was no frame.</summary>
    public async Task<TransmuxedPiece?> TransmuxAsync(IAsyncEnumerable<VideoFrame> frames, string outputPath, CancellationToken cancellationToken)
    {
        Exception? readFailure = null;
        var count = 0;
        long firstMs = 0;
        long lastMs = 0;
        long lastDelta = 40;
        try
        {
            await ffmpeg.RunFfmpegAsync(
                ["-loglevel", "error", "-f", "mpegts", "-i", "pipe:0", "-map", "0:v:0", "-c", "copy", "-f", "mpegts", outputPath],
                async (stdin, ct) =>
                {
                    ElementaryTsWriter? writer = null;
                    try
                    {
                        await foreach (var frame in frames.WithCancellation(ct))
                        {
                            if (frame.Codec is not (VideoCodec.H264 or VideoCodec.H265))
                            {
                                throw new MilestoneException(MilestoneFailure.Protocol,
                                    $"Milestone sent {frame.Codec} frames; only H.264 and H.265 can be stored without re-encoding.");
                            }

                            writer ??= new ElementaryTsWriter(stdin, frame.Codec == VideoCodec.H265);
                            await writer.WriteFrameAsync(frame.TimeMilliseconds, frame.IsKey, frame.Data, ct);
                            if (count == 0)
                            {
                                firstMs = frame.TimeMilliseconds;
                            }
                            else if (frame.TimeMilliseconds > lastMs)
                            {
                                lastDelta = frame.TimeMilliseconds - lastMs;
                            }

                            lastMs = frame.TimeMilliseconds;
                            count++;
                        }
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        // ffmpeg gets a clean end of input; the read's failure is what the caller sees
                        readFailure = e;
                    }
                },
                cancellationToken);
        }
        catch (FfmpegException) when (count == 0 || readFailure is not null)
        {
            // nothing (or a broken stream) went in: the read's failure, or "no footage", says more than ffmpeg
        }

        if (readFailure is not null)
        {
            File.Delete(outputPath);
            throw readFailure;
        }

        if (count == 0)
        {
            File.Delete(outputPath);
            return null;
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var scan = await TsScanner.ScanAsync(outputPath, cancellationToken, hash);
        var size = new FileInfo(outputPath).Length;
        if (!scan.IsPlayable || scan.ValidLength != size)
        {
            throw new MilestoneException(MilestoneFailure.Protocol, $"ffmpeg made no playable MPEG-TS from {count} Milestone frames.");
        }

        var start = DateTimeOffset.FromUnixTimeMilliseconds(firstMs);
        var end = DateTimeOffset.FromUnixTimeMilliseconds(lastMs + lastDelta);
        return new TransmuxedPiece(outputPath, start, end, count, size, Convert.ToHexStringLower(hash.GetHashAndReset()), scan.ToIndex());
    }
}
