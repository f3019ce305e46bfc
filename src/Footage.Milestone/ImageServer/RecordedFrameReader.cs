using System.Runtime.CompilerServices;
using Footage.Milestone.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Footage.Milestone.ImageServer;

/// <summary>
/// Reads a camera's recorded frames over [from, to) with <c>goto</c> and <c>next</c>, in decode order and whole GOPs:
/// from the first key frame at or after <c>from</c> up to the first key frame at or after <c>to</c>. When the connection
/// fails (closed mid-frame, a stall, a broken trailer, a token Milestone ended) it reconnects and resumes with <c>goto</c>
/// just before the last frame it yielded; whatever the recorder answers from there (the frame asked for, the key frame
/// before it, the whole GOP) it passes over what it already yielded, counting frames that share a millisecond, so no
/// frame is yielded twice or left out. The recording ends where <c>next</c> answers its previous answer again. A renewed
/// session token is handed to the open connection with <c>connectupdate</c>.
/// </summary>
public sealed class RecordedFrameReader(MilestoneSession session, IOptions<MilestoneOptions> options, ILogger<RecordedFrameReader> logger)
{
    /// <summary>A frame this far past <c>to</c> ends the read even when it is not a key frame.</summary>
    private static readonly TimeSpan Overrun = TimeSpan.FromSeconds(10);

    /// <summary>Answers in a row that yield nothing (catching up after a reconnection, audio, a GOP before <c>from</c>) before the recorder is deemed stuck.</summary>
    private const int MaxAnswersWithoutFrame = 100_000;

    /// <summary>Reconnections this read needed (for tests and the benchmark).</summary>
    public sealed class Progress
    {
        public int Reconnects { get; internal set; }
    }

    public async IAsyncEnumerable<VideoFrame> ReadAsync(
        Guid deviceId, DateTimeOffset from, DateTimeOffset to, Progress? progress = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        var camera = await session.CameraAsync(deviceId, cancellationToken);
        var fromMs = from.ToUnixTimeMilliseconds();
        var toMs = to.ToUnixTimeMilliseconds();
        var position = new ReadPosition();
        var started = false;
        var failures = 0;
        var idle = 0;
        ImageResponse? previous = null;
        ImageServerConnection? connection = null;
        try
        {
            while (true)
            {
                ImageResponse? response = null;
                MilestoneException? failure = null;
                try
                {
                    if (connection is null)
                    {
#pragma warning disable CA2000 // disposed when it fails (below) and when the read ends (finally)
                        connection = await OpenAsync(camera.RecorderUri, deviceId, settings, cancellationToken);
#pragma warning restore CA2000
                        // a millisecond before the last frame yielded: every frame sharing its time comes again and is counted off
                        var target = position.Time is { } last ? last - 1 : fromMs;
                        response = await connection.GotoAsync(DateTimeOffset.FromUnixTimeMilliseconds(target), cancellationToken);
                        position.Rewind();
                        previous = null;
                    }
                    else
                    {
                        var token = await session.TokenAsync(cancellationToken);
                        if (token != connection.Token)
                        {
                            await connection.ConnectUpdateAsync(deviceId, token, cancellationToken);
                        }

                        response = await connection.NextAsync(cancellationToken);
                    }
                }
                catch (MilestoneException e) when (e.Failure is MilestoneFailure.Unreachable or MilestoneFailure.Protocol || e.IsTokenProblem)
                {
                    // a token that ended on Milestone's side: sign in again and resume on a new connection
                    if (e.IsTokenProblem && connection?.Token is { } refused)
                    {
                        session.Invalidate(refused);
                    }

                    failure = e;
                }

                if (failure is not null)
                {
                    await connection!.DisposeIfNotNullAsync();
                    connection = null;
                    if (++failures > settings.MaxReconnects)
                    {
                        MilestoneMetrics.Failed(failure);
                        throw new MilestoneException(failure.Failure,
                            $"Reading camera {deviceId} from Milestone failed {failures} times in a row; last: {failure.Message}", failure);
                    }

                    MilestoneMetrics.Reconnects.Inc();
                    if (progress is not null)
                    {
                        progress.Reconnects++;
                    }

                    logger.LogWarning("Milestone read of camera {DeviceId} interrupted ({Reason}); resuming after {Last}", deviceId, failure.Message, position.Time);
                    continue;
                }

                if (response!.IsEmpty)
                {
                    yield break; // nothing recorded at or before that time, nor after
                }

                if (response.Repeats(previous))
                {
                    yield break; // next answers its last answer again: the end of the recording
                }

                previous = response;
                if (++idle > MaxAnswersWithoutFrame)
                {
                    throw new MilestoneException(MilestoneFailure.Protocol,
                        $"Milestone answered {MaxAnswersWithoutFrame} requests for camera {deviceId} without a frame after {position.Time ?? fromMs} ms.");
                }

                foreach (var frame in response.Frames)
                {
                    if (position.AlreadyYielded(frame.TimeMilliseconds))
                    {
                        continue; // the recorder went back (goto after a reconnection): frames yielded before
                    }

                    if (!started)
                    {
                        if (frame.TimeMilliseconds >= toMs)
                        {
                            yield break;
                        }

                        if (!frame.IsKey || frame.TimeMilliseconds < fromMs)
                        {
                            continue;
                        }

                        started = true;
                    }
                    else if ((frame.TimeMilliseconds >= toMs && frame.IsKey) || frame.TimeMilliseconds >= toMs + (long)Overrun.TotalMilliseconds)
                    {
                        yield break;
                    }

                    failures = 0;
                    idle = 0;
                    position.Yielded(frame.TimeMilliseconds);
                    yield return frame;
                }
            }
        }
        finally
        {
            await connection.DisposeIfNotNullAsync();
        }
    }

    private async Task<ImageServerConnection> OpenAsync(Uri recorder, Guid deviceId, MilestoneOptions settings, CancellationToken cancellationToken)
    {
        var connection = await ImageServerConnection.OpenAsync(recorder, settings.AcceptAnyCertificate, settings.ReadTimeout, cancellationToken);
        try
        {
            var token = await session.TokenAsync(cancellationToken);
            try
            {
                await connection.ConnectAsync(deviceId, token, cancellationToken);
            }
            catch (MilestoneException e) when (e.IsTokenProblem)
            {
                session.Invalidate(token);
                await connection.ConnectAsync(deviceId, await session.TokenAsync(cancellationToken), cancellationToken);
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Where a read stands: the time of the last frame yielded and how many frames of that millisecond were yielded (a
    /// B-frame stream stamps a reference frame and the B-frames after it with the same time). After a <c>goto</c> the frames
    /// that come again are passed over by time, and those of the last millisecond by count.
    /// </summary>
    private sealed class ReadPosition
    {
        private int _yieldedAtTime;
        private int _seenAtTime;

        public long? Time { get; private set; }

        public void Rewind() => _seenAtTime = 0;

        public bool AlreadyYielded(long time)
        {
            if (Time is not { } last || time > last)
            {
                return false;
            }

            if (time < last || _seenAtTime < _yieldedAtTime)
            {
                _seenAtTime += time == last ? 1 : 0;
                return true;
            }

            return false;
        }

        public void Yielded(long time)
        {
            _yieldedAtTime = time == Time ? _yieldedAtTime + 1 : 1;
            _seenAtTime = _yieldedAtTime;
            Time = time;
        }
    }
}
