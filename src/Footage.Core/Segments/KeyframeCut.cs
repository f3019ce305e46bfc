namespace Footage.Core.Segments;

/// <summary>
/// Cuts a local copy of a stored MPEG-TS segment so that it starts at the key frame at or before an instant, using the
/// catalog's key-frame index for the byte offset (the PAT/PMT before the key frame), so that a stream copy that must
/// start at that instant keeps the frames needed to decode it and nothing earlier.
/// </summary>
public static class KeyframeCut
{
    /// <summary>Cuts <paramref name="local"/> in place; returns the wall-clock time of its new first frame.</summary>
    public static async Task<DateTimeOffset> CutAsync(Segment segment, DateTimeOffset at, string local, CancellationToken cancellationToken)
    {
        var keys = segment.Keyframes?.Entries ?? [];
        var key = keys.LastOrDefault(k => segment.StartTime.AddMilliseconds(k.OffsetMilliseconds) <= at);
        if (key.ByteOffset <= 0)
        {
            return key == default ? segment.StartTime : segment.StartTime.AddMilliseconds(key.OffsetMilliseconds);
        }

        var cut = local + ".cut";
        await using (var source = new FileStream(local, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true))
        await using (var target = new FileStream(cut, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
        {
            source.Position = key.ByteOffset;
            await source.CopyToAsync(target, cancellationToken);
        }

        File.Move(cut, local, overwrite: true);
        return segment.StartTime.AddMilliseconds(key.OffsetMilliseconds);
    }
}
