using Footage.ServiceDefaults.Validation;

namespace Footage.Playback.Playlists;

/// <summary>
/// The camera and [from, to) of a playback request, validated the same way by every endpoint. A <see cref="Live"/> range
/// (no <c>to</c>, or one later than now, where the endpoint allows it) runs from <c>from</c> to now and keeps growing.
/// </summary>
public readonly record struct PlaybackRange(Guid CameraId, DateTimeOffset From, DateTimeOffset To, bool Live = false)
{
    public static PlaybackRange? Parse(string cameraId, string? from, string? to, TimeSpan maxRange, ValidationErrors errors) =>
        Parse(cameraId, from, to, maxRange, errors, now: null);

    /// <param name="now">When given, <c>to</c> may be left out or lie after it: the range is then live, up to now.</param>
    public static PlaybackRange? Parse(string cameraId, string? from, string? to, TimeSpan maxRange, ValidationErrors errors, DateTimeOffset? now)
    {
        var camera = RouteValues.Id(cameraId, "camera_id", errors);
        var start = QueryValues.Instant(from, "from", errors);
        var end = QueryValues.Instant(to, "to", errors);
        if (string.IsNullOrEmpty(from))
        {
            errors.Add("from", "is required: an ISO 8601 instant");
        }

        var live = false;
        if (now is { } current && (string.IsNullOrEmpty(to) || end > current))
        {
            live = true;
            end = current;
            if (start >= current)
            {
                errors.Add("from", "must be in the past for a live playlist");
                return null;
            }
        }
        else if (string.IsNullOrEmpty(to))
        {
            errors.Add("to", "is required: an ISO 8601 instant");
        }

        if (start is not null && end is not null)
        {
            if (end <= start)
            {
                errors.Add("to", "must be after from");
            }
            else if (end - start > maxRange)
            {
                errors.Add(live ? "from" : "to", $"a range may cover at most {maxRange.TotalDays:0.##} days");
            }
        }

        return errors.IsEmpty ? new PlaybackRange(camera!.Value, start!.Value, end!.Value, live) : null;
    }
}
