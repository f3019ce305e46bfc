namespace Footage.Ffmpeg.KeyFrames;

/// <summary>
/// The environment a child that reads camera streams gets: only what running a program needs. The host's own variables
/// (its settings, among them the database password, the S3 keys and the admin key in a container) are not passed on.
/// </summary>
public static class ChildEnvironment
{
    private static readonly HashSet<string> Kept = new(StringComparer.Ordinal) { "PATH", "LANG", "LC_ALL", "TZ", "LD_LIBRARY_PATH", "FAKETIME", "LD_PRELOAD", "FAKETIME_NO_CACHE" };

    /// <summary>Every variable of this process but the kept ones, each mapped to null: for CliWrap, which unsets what is null.</summary>
    public static IReadOnlyDictionary<string, string?> Removals() =>
        Environment.GetEnvironmentVariables().Keys.Cast<object>().Select(k => (string)k).Where(k => !Kept.Contains(k))
            .ToDictionary(k => k, _ => (string?)null, StringComparer.Ordinal);

    /// <summary>Leaves only the kept variables in a process's start information.</summary>
    public static void Apply(IDictionary<string, string?> environment)
    {
        foreach (var key in environment.Keys.Where(k => !Kept.Contains(k)).ToArray())
        {
            environment.Remove(key);
        }
    }

}
