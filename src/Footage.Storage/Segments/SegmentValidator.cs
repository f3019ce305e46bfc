using System.Text.RegularExpressions;
using Footage.Core.Segments;
using Footage.Core.Storage;
using Footage.Core.Time;
using Footage.ServiceDefaults.Validation;

namespace Footage.Storage.Segments;

/// <summary>Turns a registration request into a <see cref="NewSegment"/>, or names every field that is wrong.</summary>
public static partial class SegmentValidator
{
    public const long MaxSizeBytes = 1L << 40; // 1 TiB: far above any hour of any camera
    private static readonly DateTimeOffset Earliest = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan FutureSlack = TimeSpan.FromMinutes(5);

    [GeneratedRegex("^[0-9a-fA-F]{64}$")]
    private static partial Regex Sha256Hex();

    /// <param name="quarantine">A quarantined recording: its key is <see cref="ObjectKeys.ForQuarantine"/> (camera, start and SHA-256).</param>
    public static NewSegment? Validate(RegisterSegmentRequest? request, IStorageBackendRegistry backends, DateTimeOffset now, ValidationErrors errors, bool quarantine = false)
    {
        if (request is null)
        {
            errors.Add("body", "a JSON object is required");
            return null;
        }

        if (request.CameraId is not { } cameraId || cameraId == Guid.Empty)
        {
            errors.Add("camera_id", "is required: a UUID");
            cameraId = Guid.Empty;
        }

        var start = request.StartTime.HasValue ? Instants.Normalize(request.StartTime.Value) : (DateTimeOffset?)null;
        var end = request.EndTime.HasValue ? Instants.Normalize(request.EndTime.Value) : (DateTimeOffset?)null;
        if (start is null)
        {
            errors.Add("start_time", "is required: an ISO 8601 instant");
        }
        else if (start < Earliest || start > now + FutureSlack)
        {
            errors.Add("start_time", "must lie between 2000-01-01 and a few minutes from now");
        }

        if (end is null)
        {
            errors.Add("end_time", "is required: an ISO 8601 instant");
        }
        else if (start is not null && end <= start)
        {
            errors.Add("end_time", "must be after start_time");
        }
        else if (start is not null && end - start > SegmentRepository.MaxSegmentDuration)
        {
            errors.Add("end_time", $"a segment may last at most {SegmentRepository.MaxSegmentDuration.TotalHours} hours");
        }

        var span = start is not null && end is not null ? end.Value - start.Value : TimeSpan.Zero;
        if (request.DurationSeconds is { } duration)
        {
            if (double.IsNaN(duration) || duration < 0 || (span > TimeSpan.Zero && Math.Abs(duration - span.TotalSeconds) > 2))
            {
                errors.Add("duration_seconds", "must agree with end_time - start_time (within 2 seconds)");
            }
        }

        if (request.SizeBytes is not { } size || size <= 0 || size > MaxSizeBytes)
        {
            errors.Add("size_bytes", $"is required: a positive number of bytes, at most {MaxSizeBytes}");
            size = 0;
        }

        var checksum = request.Checksum;
        if (checksum is null || !Sha256Hex().IsMatch(checksum))
        {
            errors.Add("checksum", "is required: the SHA-256 of the object as 64 hexadecimal digits");
        }

        var backendName = request.StorageBackend ?? backends.Default.Name;
        if (!backends.TryGet(backendName, out _))
        {
            errors.Add("storage_backend", $"must be one of the enabled backends: {string.Join(", ", backends.Names)}");
        }

        // the key is derived from the camera and start alone, so no registration can point at another segment's object
        // (an alias that a DELETE of it would take away) or file one camera's footage as another's
        var checksumValid = checksum is not null && Sha256Hex().IsMatch(checksum);
        var derived = start is null || cameraId == Guid.Empty ? null
            : !quarantine ? ObjectKeys.ForSegment(cameraId, start.Value)
            : checksumValid ? ObjectKeys.ForQuarantine(cameraId, start.Value, checksum!) : null;
        var path = request.StoragePath ?? derived;
        if (request.StoragePath is not null && derived is not null && request.StoragePath != derived)
        {
            errors.Add("storage_path", $"must be the key derived from camera_id and start_time, '{derived}' (or left out)");
        }
        else if (path is not null && !ObjectKeys.IsSafe(path, out var pathReason))
        {
            errors.Add("storage_path", pathReason!);
        }

        if (request.ThumbnailPath is not null && !IsThumbnailOf(request.ThumbnailPath, cameraId, start, end))
        {
            errors.Add("thumbnail_path", "must be the key of a thumbnail of this camera captured within the segment ('{camera_id}/yyyy/MM/dd/HH-mm-ss.jpg')");
        }

        var keyframes = ValidateKeyframes(request.Keyframes, span, size, errors);
        if (!errors.IsEmpty)
        {
            return null;
        }

        return new NewSegment(cameraId, start!.Value, end!.Value, (int)Math.Round(span.TotalSeconds), size, backendName, path!,
            checksum!.ToLowerInvariant(), request.ThumbnailPath, keyframes);
    }

    private static bool IsThumbnailOf(string key, Guid cameraId, DateTimeOffset? start, DateTimeOffset? end) =>
        ObjectKeys.TryParseThumbnail(key, out var camera, out var capturedAt) && camera == cameraId &&
        (start is null || capturedAt >= start.Value.AddSeconds(-1)) && (end is null || capturedAt <= end.Value);

    private static KeyframeIndex? ValidateKeyframes(long[][]? pairs, TimeSpan span, long size, ValidationErrors errors)
    {
        if (pairs is null)
        {
            return null;
        }

        if (pairs.Length > KeyframeIndex.MaxEntries)
        {
            errors.Add("keyframes", $"at most {KeyframeIndex.MaxEntries} entries");
            return null;
        }

        var entries = new Keyframe[pairs.Length];
        var limitMs = (long)span.TotalMilliseconds + 2000;
        for (var i = 0; i < pairs.Length; i++)
        {
            var pair = pairs[i];
            if (pair is null || pair.Length != 2 || pair[0] < 0 || pair[0] > limitMs || pair[1] < 0 || (size > 0 && pair[1] >= size) ||
                (i > 0 && (pair[0] < entries[i - 1].OffsetMilliseconds || pair[1] <= entries[i - 1].ByteOffset)))
            {
                errors.Add("keyframes", $"entry {i} must be [milliseconds from start, byte offset], both within the segment and increasing");
                return null;
            }

            entries[i] = new Keyframe(pair[0], pair[1]);
        }

        return new KeyframeIndex(entries);
    }
}
