using System.Text.Json;

namespace Footage.Recording.Spool;

/// <summary>
/// The durable record of a closed segment in the spool (a JSON sidecar beside the .ts): once it exists the
/// segment's wall-clock times survive any crash, and the uploader owns the file.
/// </summary>
public sealed record SpooledSegment(Guid CameraId, string File, DateTimeOffset StartTime, DateTimeOffset EndTime)
{
    public const string Extension = ".json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string SidecarOf(string tsPath) => tsPath + Extension;

    /// <summary>Writes the sidecar atomically: a temp file, flushed, then renamed over.</summary>
    public async Task WriteAsync(string folder, CancellationToken cancellationToken)
    {
        var path = Path.Combine(folder, SidecarOf(File));
        var temp = path + ".tmp";
        await using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            await JsonSerializer.SerializeAsync(stream, this, Json, cancellationToken);
            await stream.FlushAsync(cancellationToken);
            RandomAccess.FlushToDisk(stream.SafeFileHandle);
        }

        System.IO.File.Move(temp, path, overwrite: true);
    }

    public static async Task<SpooledSegment?> ReadAsync(string sidecarPath, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = System.IO.File.OpenRead(sidecarPath);
            return await JsonSerializer.DeserializeAsync<SpooledSegment>(stream, Json, cancellationToken);
        }
        catch (JsonException)
        {
            return null;
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }
}
