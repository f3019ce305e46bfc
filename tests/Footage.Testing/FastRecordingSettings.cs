namespace Footage.Testing;

/// <summary>Recorder settings for tests: short segments and quick fault detection, so that a test records several segments and sees a fault in seconds.</summary>
public static class FastRecordingSettings
{
    public static Dictionary<string, string?> Create(int segmentSeconds = 2) => new(StringComparer.OrdinalIgnoreCase)
    {
        ["Footage:Recording:SegmentSeconds"] = segmentSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Footage:Recording:StallTimeout"] = "00:00:03",
        ["Footage:Recording:StartTimeout"] = "00:00:10",
        ["Footage:Recording:RestartBackoffMin"] = "00:00:00.5",
        ["Footage:Recording:RestartBackoffMax"] = "00:00:02",
        ["Footage:Recording:UploadBackoffMax"] = "00:00:01",
        ["Footage:Recording:PollInterval"] = "00:00:00.1",
        ["Footage:Recording:MinFreeSpoolBytes"] = "0",
    };
}
