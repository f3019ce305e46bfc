namespace Footage.Recording.Cameras;

/// <summary>
/// One camera's recorder as the <see cref="RecordingManager"/> runs it: stopped once however many callers ask, and
/// <see cref="Ended"/> only when its run has ended and what follows the stop is done.
/// </summary>
internal sealed class RecorderRun(CancellationTokenSource stop, Task run)
{
    private readonly Lock _gate = new();
    private Task? _stopped;

    public bool Stopping => Volatile.Read(ref _stopped) is not null;

    /// <summary>The run, or its stop once one was asked for.</summary>
    public Task Ended => Volatile.Read(ref _stopped) ?? run;

    /// <summary>Stops the run, waits for it to end, then does <paramref name="afterwards"/> (the first caller's).</summary>
    public Task StopAsync(Func<Task> afterwards)
    {
        lock (_gate)
        {
            return _stopped ??= StopOnceAsync(afterwards);
        }
    }

    private async Task StopOnceAsync(Func<Task> afterwards)
    {
        try
        {
            await stop.CancelAsync();
            await run;
        }
        finally
        {
            stop.Dispose();
            await afterwards();
        }
    }
}
