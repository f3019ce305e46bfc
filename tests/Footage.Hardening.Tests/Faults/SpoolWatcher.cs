namespace Footage.Hardening.Tests.Faults;

/// <summary>
/// An observer independent of the recorder's bookkeeping: every segment file ffmpeg writes into the camera's spool
/// folder, seen by polling (a file lives there for at least its own duration while it is written).
/// </summary>
public sealed class SpoolWatcher : IAsyncDisposable
{
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public SpoolWatcher(string folder)
    {
        _loop = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                if (Directory.Exists(folder))
                {
                    foreach (var file in Directory.EnumerateFiles(folder, "*.ts"))
                    {
                        lock (_seen)
                        {
                            _seen.Add(Path.GetFileName(file));
                        }
                    }
                }

                try
                {
                    await Task.Delay(100, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
        });
    }

    public int Captured
    {
        get
        {
            lock (_seen)
            {
                return _seen.Count;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
