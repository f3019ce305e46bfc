using System.Runtime.CompilerServices;
using Footage.Milestone.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Footage.Milestone.ImageServer;

/// <summary>
/// Reads a camera's recorded frames over [from, to) with <c>goto</c> and <c>next</c>, in whole GOPs: from the
/// first key frame at or after <c>from</c> up to the first key frame at or after <c>to</c>. When the connection
/// fails (closed mid-frame, a stall, a broken trailer) it reconnects and resumes with <c>goto</c> at the last
/// frame it yielded, skipping frames at or before it: no frame is yielded twice or left out. A renewed session
/// token is handed to the open connection with <c>connectupdate</c>.
/// </summary>
public sealed class RecordedFrameReader(MilestoneSession session, IOptions<MilestoneOptions> options, ILogger<RecordedFrameReader> logger)
{
    /// <summary>A frame this far past <c>to</c> ends the read even when it is not a key frame.</summary>
    private static readonly TimeSpan Overrun = TimeSpan.FromSeconds(10);

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
        long? last = null;
        var started = false;
        var failures = 0;
        ImageServerConnection? connection = null;
        var afterGoto = false;
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
                        connection = await OpenAsync(camera.RecorderUri, deviceId, settings, cancellationToken);
                        response = await connection.GotoAsync(DateTimeOffset.FromUnixTimeMilliseconds(last ?? fromMs), cancellationToken);
                        afterGoto = true;
                    }
                    else
                    {
                        var token = await session.TokenAsync(cancellationToken);
                        if (token != connection.Token)
                        {
                            await connection.ConnectUpdateAsync(deviceId, token, cancellationToken);
                        }

                        response = await connection.NextAsync(cancellationToken);
                        afterGoto = false;
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

                    logger.LogWarning("Milestone read of camera {DeviceId} interrupted ({Reason}); resuming after {Last}", deviceId, failure.Message, last);
                    continue;
                }

                if (response!.IsEmpty || response.Frame is not { } frame)
                {
                    yield break; // nothing recorded at or before that time, nor after
                }

                var time = response.Current;
                if (last is { } previous && time <= previous)
                {
                    if (afterGoto)
                    {
                        continue; // the resume point itself, already yielded: go on with next
                    }

                    yield break; // next repeats the last frame: the end of the recording
                }

                if (!started)
                {
                    if (time >= toMs)
                    {
                        yield break;
                    }

                    if (!frame.IsKey || time < fromMs)
                    {
                        if (response.IsLast && !afterGoto)
                        {
                            yield break;
                        }

                        last = null;
                        continue;
                    }

                    started = true;
                }
                else if ((time >= toMs && frame.IsKey) || time >= toMs + (long)Overrun.TotalMilliseconds)
                {
                    yield break;
                }

                failures = 0;
                last = time;
                yield return frame;
                if (response.IsLast)
                {
                    yield break;
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
}
