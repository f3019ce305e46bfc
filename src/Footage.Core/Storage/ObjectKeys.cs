using System.Globalization;

namespace Footage.Core.Storage;

/// <summary>
/// Object key layout and the rule that keeps keys inside their bucket. A segment's key is derived from its camera and
/// start alone (<c>{camera_id}/{yyyy}/{MM}/{dd}/{HH-mm-ss}.{fff}.ts</c>), so one stored object can only ever be one
/// camera's footage of one start: the catalog accepts no other key for it.
/// </summary>
public static class ObjectKeys
{
    public const int MaxLength = 1024;

    /// <summary>Where held footage is copied in <see cref="StorageBuckets.Clips"/>: <c>holds/{segment key}</c>.</summary>
    public const string HeldPrefix = "holds/";

    /// <summary>Where a recording that conflicts with stored footage is kept in <see cref="StorageBuckets.Clips"/>.</summary>
    public const string QuarantinePrefix = "quarantine/";

    private const string SegmentFormat = "yyyy'/'MM'/'dd'/'HH'-'mm'-'ss'.'fff";

    private const string SecondFormat = "yyyy'/'MM'/'dd'/'HH'-'mm'-'ss";

    /// <summary>The one key of a camera's segment starting at <paramref name="start"/> (milliseconds kept, so segments a second apart never share one).</summary>
    public static string ForSegment(Guid cameraId, DateTimeOffset start) =>
        string.Create(CultureInfo.InvariantCulture, $"{cameraId:D}/{start.UtcDateTime.ToString(SegmentFormat, CultureInfo.InvariantCulture)}.ts");

    /// <summary>The thumbnail of a camera at a capture time: <c>{camera_id}/{yyyy}/{MM}/{dd}/{HH-mm-ss}.jpg</c>.</summary>
    public static string ForThumbnail(Guid cameraId, DateTimeOffset capturedAt) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{cameraId:D}/{capturedAt.UtcDateTime:yyyy}/{capturedAt.UtcDateTime:MM}/{capturedAt.UtcDateTime:dd}/{capturedAt.UtcDateTime:HH-mm-ss}.jpg");

    /// <summary>The copy of a held segment's object in <see cref="StorageBuckets.Clips"/>.</summary>
    public static string ForHeldCopy(string segmentKey) => HeldPrefix + segmentKey;

    /// <summary>
    /// A recording kept aside because different footage is already stored or catalogued at its camera and start; its
    /// SHA-256 in the key keeps two different conflicting recordings apart and makes a retried upload land on the same key.
    /// </summary>
    public static string ForQuarantine(Guid cameraId, DateTimeOffset start, string sha256) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{QuarantinePrefix}{cameraId:D}/{start.UtcDateTime.ToString(SegmentFormat, CultureInfo.InvariantCulture)}-{sha256.ToLowerInvariant()}.ts");

    /// <summary>The camera and start (to the millisecond) of a segment key made by <see cref="ForSegment"/>.</summary>
    public static bool TryParseSegment(string key, out Guid cameraId, out DateTimeOffset start)
    {
        cameraId = Guid.Empty;
        start = default;
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        if (slash != 36 || !key.EndsWith(".ts", StringComparison.Ordinal) || !Guid.TryParseExact(key[..slash], "D", out cameraId) ||
            !DateTime.TryParseExact(key[(slash + 1)..^3], SegmentFormat, CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var utc))
        {
            cameraId = Guid.Empty;
            return false;
        }

        start = new DateTimeOffset(utc, TimeSpan.Zero);
        return ForSegment(cameraId, start) == key;
    }

    /// <summary>
    /// The camera and start of a segment key as the API derived it before keys carried the millisecond
    /// (<c>{camera_id}/{yyyy}/{MM}/{dd}/{HH-mm-ss}.ts</c>): such objects are still stored and may need registering again.
    /// </summary>
    public static bool TryParseLegacySegment(string key, out Guid cameraId, out DateTimeOffset start)
    {
        cameraId = Guid.Empty;
        start = default;
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        if (slash != 36 || !key.EndsWith(".ts", StringComparison.Ordinal) || !Guid.TryParseExact(key[..slash], "D", out cameraId) ||
            !DateTime.TryParseExact(key[(slash + 1)..^3], SecondFormat, CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var utc))
        {
            cameraId = Guid.Empty;
            return false;
        }

        start = new DateTimeOffset(utc, TimeSpan.Zero);
        return string.Create(CultureInfo.InvariantCulture, $"{cameraId:D}/{utc.ToString(SecondFormat, CultureInfo.InvariantCulture)}.ts") == key;
    }

    /// <summary>The camera and capture time (to the second) of a thumbnail key made by <see cref="ForThumbnail"/>.</summary>
    public static bool TryParseThumbnail(string key, out Guid cameraId, out DateTimeOffset capturedAt)
    {
        cameraId = Guid.Empty;
        capturedAt = default;
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        if (slash != 36 || !key.EndsWith(".jpg", StringComparison.Ordinal) || !Guid.TryParseExact(key[..slash], "D", out cameraId) ||
            !DateTime.TryParseExact(key[(slash + 1)..^4], SecondFormat, CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var utc))
        {
            cameraId = Guid.Empty;
            return false;
        }

        capturedAt = new DateTimeOffset(utc, TimeSpan.Zero);
        return ForThumbnail(cameraId, capturedAt) == key;
    }

    /// <summary>
    /// A safe key is relative, uses '/' between non-empty parts, has no '.' or '..' part and only
    /// letters, digits and <c>-_.=+</c>: it can never name a file outside the backend's bucket folder.
    /// </summary>
    public static bool IsSafe(string? key, out string? reason)
    {
        reason = null;
        if (string.IsNullOrEmpty(key))
        {
            reason = "must not be empty";
            return false;
        }

        if (key.Length > MaxLength)
        {
            reason = $"must be at most {MaxLength} characters";
            return false;
        }

        if (key.StartsWith('/') || key.Contains('\\') || (key.Length > 1 && key[1] == ':'))
        {
            reason = "must be a relative path inside its backend (no leading '/', no '\\', no drive)";
            return false;
        }

        foreach (var part in key.Split('/'))
        {
            if (part.Length == 0)
            {
                reason = "must not contain empty path parts ('//' or a trailing '/')";
                return false;
            }

            if (part is "." or "..")
            {
                reason = "must not contain '.' or '..' parts";
                return false;
            }

            foreach (var c in part)
            {
                if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '=' or '+'))
                {
                    reason = $"contains the character '{(char.IsControl(c) ? "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture) : c.ToString())}', allowed are letters, digits, '/', '-', '_', '.', '=', '+'";
                    return false;
                }
            }
        }

        return true;
    }
}
