using System.Text.Json;

namespace Footage.Recording.Spool;

/// <summary>
/// The wall-clock instant one ffmpeg run's relative times count from, written when its first bytes arrive,
/// so that a crash recovery can still place the run's partial last segment in time.
/// </summary>
public sealed record RunAnchor(DateTimeOffset Start)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string PathOf(string folder, string run) => Path.Combine(folder, run + ".anchor");

    public async Task WriteAsync(string folder, string run, CancellationToken cancellationToken)
    {
        var path = PathOf(folder, run);
        await System.IO.File.WriteAllTextAsync(path + ".tmp", JsonSerializer.Serialize(this, Json), cancellationToken);
        System.IO.File.Move(path + ".tmp", path, overwrite: true);
    }

    public static RunAnchor? Read(string folder, string run)
    {
        try
        {
            return JsonSerializer.Deserialize<RunAnchor>(System.IO.File.ReadAllText(PathOf(folder, run)), Json);
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            return null;
        }
    }
}
