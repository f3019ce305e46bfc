namespace Footage.Storage.Integrity;

/// <summary>Keeps reading at or below a rate: after each read it waits until the bytes read so far are due.</summary>
public sealed class ScrubThrottle(long bytesPerSecond, TimeProvider clock)
{
    private long _started = clock.GetTimestamp();
    private long _bytes;

    public async Task ReadAsync(long bytes, CancellationToken cancellationToken)
    {
        _bytes += bytes;
        var due = TimeSpan.FromSeconds((double)_bytes / bytesPerSecond);
        var ahead = due - clock.GetElapsedTime(_started);
        if (ahead > TimeSpan.FromMilliseconds(1))
        {
            await Task.Delay(ahead, clock, cancellationToken);
        }
    }

    /// <summary>Starts a new window (after being idle, so that idle time is not spent as a burst).</summary>
    public void Restart()
    {
        _started = clock.GetTimestamp();
        _bytes = 0;
    }
}
