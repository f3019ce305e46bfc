using System.Globalization;

namespace Footage.Core.Storage;

/// <summary>Object key layout (<c>{camera_id}/{yyyy}/{MM}/{dd}/{HH-mm-ss}.ts</c>) and the rule that keeps keys inside their bucket.</summary>
public static class ObjectKeys
{
    public const int MaxLength = 1024;

    public static string ForSegment(Guid cameraId, DateTimeOffset start, string extension = "ts") =>
        string.Create(CultureInfo.InvariantCulture,
            $"{cameraId:D}/{start.UtcDateTime:yyyy}/{start.UtcDateTime:MM}/{start.UtcDateTime:dd}/{start.UtcDateTime:HH-mm-ss}.{extension}");

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
