namespace Footage.Milestone.Simulator;

/// <summary>Every simulated camera's frames in time order, laid out from the clip onto its sequences.</summary>
public sealed class CameraRecordings
{
    private readonly Dictionary<Guid, (SimulatedCamera Camera, RecordedFrame[] Frames)> _cameras = [];

    public CameraRecordings(IEnumerable<SimulatedCamera> cameras, RecordedClip h264, RecordedClip? h265)
    {
        foreach (var camera in cameras)
        {
            var clip = camera.Hevc ? h265 ?? throw new InvalidOperationException("No H.265 clip was encoded.") : h264;
            var step = 1000 / clip.FramesPerSecond;
            var frames = new List<RecordedFrame>();
            foreach (var sequence in camera.Sequences.OrderBy(s => s.Start))
            {
                var count = Math.Min(clip.Frames.Count, (int)Math.Round(sequence.Seconds * clip.FramesPerSecond));
                var start = sequence.Start.ToUnixTimeMilliseconds();
                for (var i = 0; i < count; i++)
                {
                    frames.Add(new RecordedFrame(start + (i * step), clip.Frames[i].Key, clip.Frames[i].Data, clip.Hevc));
                }
            }

            _cameras[camera.DeviceId] = (camera, frames.ToArray());
        }
    }

    public IEnumerable<SimulatedCamera> Cameras => _cameras.Values.Select(c => c.Camera);

    public bool TryGet(Guid deviceId, out RecordedFrame[] frames)
    {
        var found = _cameras.TryGetValue(deviceId, out var entry);
        frames = found ? entry.Frames : [];
        return found;
    }

    /// <summary>The recorded spans: runs of frames without a gap longer than a second, as (first frame, last frame) times.</summary>
    public IEnumerable<(long Begin, long End)> Sequences(Guid deviceId)
    {
        if (!TryGet(deviceId, out var frames) || frames.Length == 0)
        {
            yield break;
        }

        var begin = frames[0].TimeMilliseconds;
        for (var i = 1; i < frames.Length; i++)
        {
            if (frames[i].TimeMilliseconds - frames[i - 1].TimeMilliseconds > 1000)
            {
                yield return (begin, frames[i - 1].TimeMilliseconds);
                begin = frames[i].TimeMilliseconds;
            }
        }

        yield return (begin, frames[^1].TimeMilliseconds);
    }
}
