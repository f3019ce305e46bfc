using System.Security.Cryptography;
using Footage.Ffmpeg;
using Footage.Milestone.ImageServer;
using Footage.Milestone.Transmux.Pictures;
using Footage.Recording.Scanning;
using Microsoft.Extensions.Logging;

namespace Footage.Milestone.Transmux;

/// <summary>
/// Turns Milestone's frames into MPEG-TS with ffmpeg <c>-c copy</c> (no re-encoding): each Annex-B frame goes in with its
/// own decode and presentation time (<see cref="FrameTiming"/>, which puts B-frames in display order), ffmpeg's TS muxer
/// writes the stored form (PAT and PMT before every key frame, like the recorder's files), and the key-frame index is read
/// back by the recorder's TS scanner. H.264 and H.265 are stored; any other codec is refused with a message naming it.
/// </summary>
public sealed class FrameTransmuxer(FfmpegRunner ffmpeg, ILogger<FrameTransmuxer> logger)
{
    /// <summary>Writes the frames to <paramref name="outputPath"/>; null when there was no frame.</summary>
    public async Task<TransmuxedPiece?> TransmuxAsync(IAsyncEnumerable<VideoFrame> frames, string outputPath, CancellationToken cancellationToken)
    {
        Exception? readFailure = null;
        var count = 0;
        long firstMs = 0;
        FrameTiming? timing = null;
        try
        {
            await ffmpeg.RunFfmpegAsync(
                ["-loglevel", "error", "-f", "mpegts", "-i", "pipe:0", "-map", "0:v:0", "-c", "copy", "-f", "mpegts", outputPath],
                async (stdin, ct) =>
                {
                    ElementaryTsWriter? writer = null;
                    VideoCodec? codec = null;
                    try
                    {
                        await foreach (var frame in frames.WithCancellation(ct))
                        {
                            Refuse(frame.Codec, codec);
                            if (writer is null)
                            {
                                codec = frame.Codec;
                                writer = new ElementaryTsWriter(stdin, frame.Codec == VideoCodec.H265);
                                timing = new FrameTiming(frame.Codec == VideoCodec.H265 ? new H265PictureOrder() : new H264PictureOrder());
                                firstMs = frame.TimeMilliseconds;
                            }

                            foreach (var timed in timing!.Add(frame))
                            {
                                await writer.WriteFrameAsync(timed.Dts, timed.Pts, timed.IsKey, timed.Data, ct);
                            }

                            count++;
                        }

                        foreach (var timed in timing?.Complete() ?? [])
                        {
                            await writer!.WriteFrameAsync(timed.Dts, timed.Pts, timed.IsKey, timed.Data, ct);
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

        if (count == 0 || timing?.End is not { } end)
        {
            File.Delete(outputPath);
            return null;
        }

        if (timing.OrderUnknown)
        {
            logger.LogWarning("Milestone frames whose display order could not be read (field pictures, H.264 order count type 1) are stored in decode order in {Path}", outputPath);
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var scan = await TsScanner.ScanAsync(outputPath, cancellationToken, hash);
        var size = new FileInfo(outputPath).Length;
        if (!scan.IsPlayable || scan.ValidLength != size)
        {
            throw new MilestoneException(MilestoneFailure.Protocol, $"ffmpeg made no playable MPEG-TS from {count} Milestone frames.");
        }

        return new TransmuxedPiece(outputPath, DateTimeOffset.FromUnixTimeMilliseconds(firstMs), DateTimeOffset.FromUnixTimeMilliseconds(end / 90), count, size,
            Convert.ToHexStringLower(hash.GetHashAndReset()), scan.ToIndex());
    }

    /// <summary>Only H.264 and H.265 are stored without re-encoding, and one codec in a piece.</summary>
    private static void Refuse(VideoCodec codec, VideoCodec? before)
    {
        if (codec == VideoCodec.Jpeg)
        {
            throw new MilestoneException(MilestoneFailure.Unsupported,
                "Milestone records this camera as JPEG pictures (MJPEG); storing them would need a re-encode to H.264, which the adapter does not do.");
        }

        if (codec is not (VideoCodec.H264 or VideoCodec.H265))
        {
            throw new MilestoneException(MilestoneFailure.Unsupported,
                $"Milestone records this camera as {GenericByteData.CodecName((ushort)codec)}; only H.264 and H.265 can be stored without re-encoding.");
        }

        if (before is { } first && first != codec)
        {
            throw new MilestoneException(MilestoneFailure.Unsupported,
                $"The camera's codec changed from {GenericByteData.CodecName((ushort)first)} to {GenericByteData.CodecName((ushort)codec)} within one piece of Milestone's recording.");
        }
    }
}
