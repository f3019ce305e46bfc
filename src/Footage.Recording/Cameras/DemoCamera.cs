namespace Footage.Recording.Cameras;

/// <summary>The built-in demo camera: ffmpeg's test picture with the time drawn on it.</summary>
public static class DemoCamera
{
    public const string Source = "demo";

    private static readonly string[] CommonFonts =
    [
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/TTF/DejaVuSans.ttf",
        "/usr/share/fonts/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "/System/Library/Fonts/Supplemental/Arial.ttf",
    ];

    /// <summary>The configured font when it exists, else a common one; null (no overlay) when there is none.</summary>
    public static string? FindFont(string? configured) =>
        !string.IsNullOrWhiteSpace(configured) ? (File.Exists(configured) ? configured : null) : CommonFonts.FirstOrDefault(File.Exists);
}
