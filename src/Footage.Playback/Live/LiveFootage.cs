using System.Security.Cryptography;
using System.Text;
using Footage.Core.Live;
using Footage.Core.Segments;

namespace Footage.Playback.Live;

/// <summary>
/// The footage of a live (EVENT) playlist: the catalogued segments from <c>from</c>, then the recorder's files the catalog does
/// not have yet. The recorder is asked first: a file catalogued between the two calls is then in both (and taken from the
/// catalog), never in neither.
/// </summary>
public static class LiveFootage
{
    /// <summary>The backend name given to recorder files, so that links to them go to the live media endpoint.</summary>
    public const string Backend = "live";

    public sealed record Footage(IReadOnlyList<Segment> Segments, IReadOnlySet<Guid> Growing);

    public static Footage Merge(Guid cameraId, IReadOnlyList<Segment> stored, IReadOnlyList<LiveSegment> live, DateTimeOffset from)
    {
        var segments = new List<Segment>(stored);
        var growing = new HashSet<Guid>();
        foreach (var file in live)
        {
            if (file.EndTime <= from || stored.Any(s => Overlap(s, file) > TimeSpan.FromMilliseconds(500)))
            {
                continue;
            }

            var id = IdOf(cameraId, file.File);
            segments.Add(new Segment(id, cameraId, file.StartTime, file.EndTime, (int)Math.Round((file.EndTime - file.StartTime).TotalSeconds),
                file.SizeBytes, Backend, file.File, null, null, file.StartTime, file.Keyframes));
            if (file.Open)
            {
                growing.Add(id);
            }
        }

        return new Footage(segments, growing);
    }

    /// <summary>A stable id for a recorder file (name-based), so that its chunks group and link the same way on every refresh.</summary>
    public static Guid IdOf(Guid cameraId, string file)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{cameraId:N}/{file}"));
        return new Guid(hash.AsSpan(0, 16));
    }

    private static TimeSpan Overlap(Segment stored, LiveSegment live)
    {
        var start = stored.StartTime > live.StartTime ? stored.StartTime : live.StartTime;
        var end = stored.EndTime < live.EndTime ? stored.EndTime : live.EndTime;
        return end > start ? end - start : TimeSpan.Zero;
    }
}
