namespace Footage.Recording.Remuxer;

/// <summary>Where <c>footage-recorder</c> is: the configured path, else beside the server's assemblies (the build puts it there).</summary>
public static class RemuxerProgram
{
    public const string Name = "footage-recorder";

    public static string PathFor(RecordingOptions options) => options.RemuxerPath is { Length: > 0 } configured
        ? configured
        : Path.Combine(AppContext.BaseDirectory, Name);
}
