using Microsoft.Win32.SafeHandles;

namespace Footage.Hardening.Tests.Faults;

/// <summary>
/// An observer independent of the recorder's bookkeeping: every segment file ffmpeg writes into the camera's spool
/// folder, opened as the kernel reports it created (inotify) and by polling besides, and held open from then on, so
/// that its last size is known even when the recorder uploads and deletes it between two looks (ffmpeg's buffered
/// writes may fill a file only as it closes). A handle is let go once its name is gone, so that a full disk gets
/// its space back. A file only ever seen empty is not counted: at a stop the muxer has opened the next file and written
/// nothing into it. Only the muxer's own names count: the thumbnail maker may put a short cut of one GOP beside a
/// segment for a moment. Polling alone missed files: at a stop the muxer may open a last file, write a few frames into it
/// and close it, and the recorder uploads and deletes it within one 100 ms poll.
/// </summary>
public sealed partial class SpoolWatcher : IAsyncDisposable
{
    private readonly string _folder;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, long> _seen = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SafeFileHandle> _held = new(StringComparer.Ordinal);
    private readonly HashSet<string> _vanished = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly FileSystemWatcher _created;
    private readonly Task _loop;
    private bool _disposed;

    public SpoolWatcher(string folder)
    {
        _folder = folder;
        Directory.CreateDirectory(folder);
        _created = new FileSystemWatcher(folder, "r*-*.ts") { NotifyFilter = NotifyFilters.FileName };
        _created.Created += (_, e) => OnAppeared(e.Name);
        _created.Renamed += (_, e) => OnAppeared(e.Name);
        _created.EnableRaisingEvents = true;
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
            return string.Join(", ", _seen.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} {p.Value} B")) +
                (_vanished.Count == 0 ? "" : "; gone before they could be opened: " + string.Join(", ", _vanished.Order(StringComparer.Ordinal)));
        }
    }

    private void OnAppeared(string? name)
    {
        if (name is not null)
        {
            lock (_gate)
            {
                Open(name);
            }
        }
    }

    /// <summary>Opens the files that appeared and reads the size of every file held; called under <see cref="_gate"/>.</summary>
    private void Look()
    {
        if (Directory.Exists(_folder))
        {
            foreach (var file in Directory.EnumerateFiles(_folder, "r*-*.ts"))
            {
                Open(Path.GetFileName(file));
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

    /// <summary>Holds a muxer file not held yet; called under <see cref="_gate"/>.</summary>
    private void Open(string name)
    {
        if (_disposed || !SegmentFile().IsMatch(name) || _seen.ContainsKey(name))
        {
            return;
        }

        try
        {
            _held[name] = File.OpenHandle(Path.Combine(_folder, name), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            _seen[name] = 0;
            _vanished.Remove(name);
        }
        catch (IOException)
        {
            // gone between its creation and opening: seen next time if it was only renamed, and named in Describe if not
            _vanished.Add(name);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _created.Dispose();
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
        lock (_gate)
        {
            _disposed = true; // an inotify event still in flight opens nothing more
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
