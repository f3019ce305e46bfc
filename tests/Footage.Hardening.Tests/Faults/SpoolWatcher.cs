using Microsoft.Win32.SafeHandles;

namespace Footage.Hardening.Tests.Faults;

/// <summary>
/// An observer independent of the recorder's bookkeeping: every segment file ffmpeg writes into the camera's spool
/// folder, seen by polling (a file lives there for at least its own duration while it is written) and held open from
/// then on, so that its last size is known even when the recorder uploads and deletes it between two looks (ffmpeg's
/// buffered writes may fill a file only as it closes). A handle is let go once its name is gone, so that a full disk gets
/// its space back. A file only ever seen empty is not counted: at a stop the muxer has opened the next file and written
/// nothing into it. Only the muxer's own names count: the thumbnail maker may put a short cut of one GOP beside a
/// segment for a moment.
/// </summary>
public sealed partial class SpoolWatcher : IAsyncDisposable
{
    private readonly string _folder;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, long> _seen = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SafeFileHandle> _held = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public SpoolWatcher(string folder)
    {
        _folder = folder;
        _loop = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                lock (_gate)
                {
                    Look();
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

    /// <summary>Files seen with bytes in them, looked at once more now.</summary>
    public int Captured
    {
        get
        {
            lock (_gate)
            {
                Look();
                return _seen.Values.Count(length => length > 0);
            }
        }
    }

    /// <summary>The bytes of every file seen, each at its largest size.</summary>
    public long Bytes
    {
        get
        {
            lock (_gate)
            {
                Look();
                return _seen.Values.Sum();
            }
        }
    }

    /// <summary>Every file seen and its largest size, for a failure message.</summary>
    public string Describe()
    {
        lock (_gate)
        {
            Look();
            return string.Join(", ", _seen.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} {p.Value} B"));
        }
    }

    /// <summary>Opens the files that appeared and reads the size of every file held; called under <see cref="_gate"/>.</summary>
    private void Look()
    {
        if (Directory.Exists(_folder))
        {
            foreach (var file in Directory.EnumerateFiles(_folder, "r*-*.ts"))
            {
                var name = Path.GetFileName(file);
                if (!SegmentFile().IsMatch(name) || _seen.ContainsKey(name))
                {
                    continue;
                }

                try
                {
                    _held[name] = File.OpenHandle(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                    _seen[name] = 0;
                }
                catch (IOException)
                {
                    // gone between listing and opening: seen next time if it was only renamed
                }
            }
        }

        foreach (var (name, handle) in _held.ToArray())
        {
            _seen[name] = Math.Max(RandomAccess.GetLength(handle), _seen[name]);
            if (!File.Exists(Path.Combine(_folder, name)))
            {
                handle.Dispose();
                _held.Remove(name);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
        lock (_gate)
        {
            foreach (var handle in _held.Values)
            {
                handle.Dispose();
            }

            _held.Clear();
        }
    }

    /// <summary>Whether a file name is one of the segment muxer's: {run}-{number}.ts.</summary>
    public static bool IsMuxerFile(string name) => SegmentFile().IsMatch(name);

    /// <summary>The segment muxer's names: {run}-{number}.ts.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"^r[0-9]+-[0-9]{6}\.ts$")]
    private static partial System.Text.RegularExpressions.Regex SegmentFile();
}
