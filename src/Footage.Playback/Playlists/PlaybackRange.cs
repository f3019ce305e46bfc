using Footage.ServiceDefaults.Validation;

namespace Footage.Playback.Playlists;

/// <summary>The camera and [from, to) of a playback request, validated the same way by every endpoint.</summary>
public readonly record struct PlaybackRange(Guid CameraId, DateTimeOffset From, DateTimeOffset To)
{
    public static PlaybackRange? Parse(string cameraId, string? from, string? to, TimeSpan maxRange, ValidationErrors errors)
    {
        var camera = RouteValues.Id(cameraId, "camera_id", errors);
        var start = QueryValues.Instant(from, "from", errors);
        var end = QueryValues.Instant(to, "to", errors);
        if (string.IsNullOrEmpty(from))
        {
            errors.Add("from", "is required: an ISO 8601 instant");
        }

        if (string.IsNullOrEmpty(to))
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
                errors.Add("to", $"a range may cover at most {maxRange.TotalDays:0.##} days");
            }
        }

        return errors.IsEmpty ? new PlaybackRange(camera!.Value, start!.Value, end!.Value) : null;
    }
}
