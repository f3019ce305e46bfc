namespace Footage.Hardening.Tests.Faults;

/// <summary>
/// An observer independent of the recorder's bookkeeping: every segment file ffmpeg writes into the camera's spool
/// folder, seen by polling (a file lives there for at least its own duration while it is written). A file only ever
/// seen empty is not counted: at a stop the muxer has opened the next file and written nothing into it. Only the muxer's
/// own names count: the thumbnail maker puts a short cut of one GOP beside a closed segment for a moment.
/// </summary>
public sealed partial class SpoolWatcher : IAsyncDisposable
{
    private readonly Dictionary<string, long> _seen = new(StringComparer.Ordinal);
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
                    foreach (var file in Directory.EnumerateFiles(folder, "r*-*.ts"))
                    {
                        if (!SegmentFile().IsMatch(Path.GetFileName(file)))
                        {
                            // not a file of ffmpeg's: the thumbnail maker's cut of one GOP, for one
                            continue;
                        }

                        long length;
                        try
                        {
                            length = new FileInfo(file).Length;
                        }
                        catch (IOException)
                        {
                            continue;
                        }

                        lock (_seen)
                        {
                            var name = Path.GetFileName(file);
                            _seen[name] = Math.Max(length, _seen.GetValueOrDefault(name));
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
                return _seen.Values.Count(length => length > 0);
            }
        }
    }

    /// <summary>The bytes of every file seen, each at its largest size.</summary>
    public long Bytes
    {
        get
        {
            lock (_seen)
            {
                return _seen.Values.Sum();
            }
        }
    }

    /// <summary>Every file seen and its largest size, for a failure message.</summary>
    public string Describe()
    {
        lock (_seen)
        {
            return string.Join(", ", _seen.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} {p.Value} B"));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    /// <summary>The segment muxer's names: {run}-{number}.ts.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"^r[0-9]+-[0-9]{6}\.ts$")]
    private static partial System.Text.RegularExpressions.Regex SegmentFile();
}
