using System.Collections.Concurrent;
using Footage.Recording.Scanning;

namespace Footage.Recording.Spool;

/// <summary>
/// One <see cref="GrowingScan"/> per spool file, shared by the camera's recorder (which follows the file it writes), the
/// live edge and the uploader, so that each byte of a segment is read for its index and checksum once. After a restart
/// there are none: the first to ask reads the file from its start.
/// </summary>
public sealed class SpoolScans
{
    private readonly ConcurrentDictionary<string, GrowingScan> _scans = new(StringComparer.Ordinal);

    public GrowingScan For(string path) => _scans.GetOrAdd(path, p => new GrowingScan(p));

    /// <summary>The file is gone (stored, rejected or deleted): forget its scan.</summary>
    /// <remarks>Not disposed: a caller still holding it may finish with it; the garbage collector frees its hash.</remarks>
    public void Forget(string path) => _scans.TryRemove(path, out _);

    /// <summary>Forgets the scans of files in <paramref name="folder"/> other than <paramref name="present"/>.</summary>
    public void ForgetAllBut(string folder, IReadOnlySet<string> present)
    {
        foreach (var path in _scans.Keys)
        {
            if (string.Equals(System.IO.Path.GetDirectoryName(path), folder, StringComparison.Ordinal) && !present.Contains(path))
            {
                _scans.TryRemove(path, out _);
            }
        }
    }

    public int Count => _scans.Count;
}
