using Footage.Recording.Spool;
using Microsoft.Extensions.Logging;

namespace Footage.Recording.Thumbnails;

/// <summary>
/// A decoder that crashed inside this process would take every camera's recorder down with it. So while a picture is
/// decoded in process its camera is written down in the spool, and a camera found written down at start-up (the process
/// died decoding it) has its pictures made by an ffmpeg process from then on: one crash at most, never a crash loop.
/// </summary>
public sealed class InProcessDecodeGuard
{
    private const string MarkerPrefix = "thumbnail-decoding-";
    private const string ListFile = "thumbnails-by-ffmpeg";
    private readonly string _root;
    private readonly HashSet<Guid> _outOfProcess = [];
    private readonly Lock _gate = new();

    public InProcessDecodeGuard(SpoolFolder spool, ILogger<InProcessDecodeGuard> logger)
    {
        _root = spool.Root;
        Directory.CreateDirectory(_root);
        var list = Path.Combine(_root, ListFile);
        if (File.Exists(list))
        {
            foreach (var line in File.ReadAllLines(list))
            {
                if (Guid.TryParse(line, out var id))
                {
                    _outOfProcess.Add(id);
                }
            }
        }

        foreach (var marker in Directory.EnumerateFiles(_root, MarkerPrefix + "*"))
        {
            if (Guid.TryParse(Path.GetFileName(marker)[MarkerPrefix.Length..], out var id) && _outOfProcess.Add(id))
            {
                logger.LogError("The recorder stopped while decoding a thumbnail of camera {CameraId}: its thumbnails are made by an ffmpeg process from now on", id);
                File.AppendAllLines(list, [id.ToString("D")]);
            }

            File.Delete(marker);
        }
    }

    public bool AllowsInProcess(Guid cameraId)
    {
        lock (_gate)
        {
            return !_outOfProcess.Contains(cameraId);
        }
    }

    /// <summary>Writes the camera down until the returned scope ends.</summary>
    public IDisposable Decoding(Guid cameraId)
    {
        var marker = Path.Combine(_root, MarkerPrefix + cameraId.ToString("D"));
        File.WriteAllBytes(marker, []);
        return new Scope(marker);
    }

    private sealed class Scope(string marker) : IDisposable
    {
        public void Dispose() => File.Delete(marker);
    }
}
