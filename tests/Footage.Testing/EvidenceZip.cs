using System.IO.Compression;
using System.Text.Json;

namespace Footage.Testing;

/// <summary>What a recipient does with a downloaded evidence package (an export or a clip): take a video or the manifest out.</summary>
public static class EvidenceZip
{
    /// <summary>Writes the zip's entry <paramref name="name"/> (a camera's MP4) to <paramref name="path"/> and returns the path.</summary>
    public static async Task<string> ExtractAsync(byte[] zip, string name, string path)
    {
        await using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        var entry = archive.GetEntry(name) ?? throw new InvalidOperationException($"the package has no {name}: {string.Join(", ", archive.Entries.Select(e => e.FullName))}");
        await entry.ExtractToFileAsync(path, overwrite: true);
        return path;
    }

    /// <summary>The camera's MP4 of the package, written to <paramref name="path"/>.</summary>
    public static Task<string> ExtractVideoAsync(byte[] zip, Guid camera, string path) => ExtractAsync(zip, $"{camera:D}.mp4", path);

    public static async Task<JsonElement> ManifestAsync(byte[] zip)
    {
        await using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        await using var stream = await archive.GetEntry("manifest.json")!.OpenAsync();
        return (await JsonDocument.ParseAsync(stream)).RootElement.Clone();
    }

    public static IReadOnlyList<string> Names(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        return archive.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal).ToArray();
    }
}
