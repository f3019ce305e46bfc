using System.Globalization;

namespace Footage.Milestone.Storage;

/// <summary>
/// Object keys of Milestone footage: <c>{device_id}/{from_ms}-{to_ms}.ts</c>, the Milestone camera and the window
/// of its recording (ms since the epoch) the file is made from, so the backend can make it again from the key alone.
/// </summary>
public static class MilestoneKeys
{
    public static string For(Guid deviceId, DateTimeOffset from, DateTimeOffset to) =>
        string.Create(CultureInfo.InvariantCulture, $"{deviceId:D}/{from.ToUnixTimeMilliseconds()}-{to.ToUnixTimeMilliseconds()}.ts");

    public static bool TryParse(string key, out Guid deviceId, out DateTimeOffset from, out DateTimeOffset to)
    {
        deviceId = Guid.Empty;
        from = to = default;
        var parts = key.Split('/');
        if (parts.Length != 2 || !Guid.TryParseExact(parts[0], "D", out deviceId) || !parts[1].EndsWith(".ts", StringComparison.Ordinal))
        {
            return false;
        }

        var times = parts[1][..^3].Split('-');
        if (times.Length != 2 ||
            !long.TryParse(times[0], NumberStyles.None, CultureInfo.InvariantCulture, out var fromMs) ||
            !long.TryParse(times[1], NumberStyles.None, CultureInfo.InvariantCulture, out var toMs) || toMs <= fromMs)
        {
            return false;
        }

        from = DateTimeOffset.FromUnixTimeMilliseconds(fromMs);
        to = DateTimeOffset.FromUnixTimeMilliseconds(toMs);
        return true;
    }
}
