using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Footage.Evidence;

namespace Footage.Storage.Tests.Evidence;

/// <summary>A small evidence package made by the product's writer (two "videos" of random bytes), and the ways a recipient's copy gets altered.</summary>
public static class EvidencePackage
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static readonly string[] Videos = ["0b1d35f0-0000-4000-8000-000000000001.mp4", "0b1d35f0-0000-4000-8000-000000000002.mp4"];

    public static async Task<string> WriteAsync(string folder, EvidenceKey key, string name = "evidence.zip")
    {
        var videos = new List<EvidenceVideo>();
        var cameras = new List<object>();
        for (var i = 0; i < Videos.Length; i++)
        {
            var bytes = new byte[200_000 + (i * 50_000)];
            new Random(i + 1).NextBytes(bytes);
            var path = Path.Combine(folder, Videos[i]);
            await File.WriteAllBytesAsync(path, bytes);
            var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
            videos.Add(new EvidenceVideo(Videos[i], path, sha));
            cameras.Add(new { camera_id = Videos[i][..36], file = Videos[i], size_bytes = bytes.Length, sha256 = sha });
        }

        var manifest = JsonSerializer.SerializeToUtf8Bytes(new { kind = "export", export_id = "7f3c0000-0000-4000-8000-00000000abcd", reason = "incident 42", cameras },
            Indented);
        var zip = Path.Combine(folder, name);
        await using (var file = File.Create(zip))
        {
            await EvidencePackageWriter.WriteAsync(file, videos, manifest, key, EvidenceReadme.Write("test package", key.Fingerprint, "/key"), CancellationToken.None);
        }

        return zip;
    }

    /// <summary>Replaces one entry's content through the zip format (what a careful forger does: the zip itself stays consistent).</summary>
    public static async Task RewriteAsync(string zip, string name, Func<byte[], byte[]> change)
    {
        await using var archive = await ZipArchive.CreateAsync(File.Open(zip, FileMode.Open, FileAccess.ReadWrite), ZipArchiveMode.Update, leaveOpen: false, entryNameEncoding: null);
        var entry = archive.GetEntry(name)!;
        byte[] content;
        await using (var read = await entry.OpenAsync())
        {
            using var copy = new MemoryStream();
            await read.CopyToAsync(copy);
            content = copy.ToArray();
        }

        entry.Delete();
        var replaced = archive.CreateEntry(name, CompressionLevel.NoCompression);
        await using var write = await replaced.OpenAsync();
        await write.WriteAsync(change(content));
    }

    /// <summary>Flips one byte of a stored entry inside the zip file itself (a damaged or crudely edited copy).</summary>
    public static async Task FlipInPlaceAsync(string zip, string name, int offsetInEntry)
    {
        byte[] content;
        await using (var archive = await ZipArchive.CreateAsync(File.OpenRead(zip), ZipArchiveMode.Read, leaveOpen: false, entryNameEncoding: null))
        {
            await using var read = await archive.GetEntry(name)!.OpenAsync();
            using var copy = new MemoryStream();
            await read.CopyToAsync(copy);
            content = copy.ToArray();
        }

        var bytes = await File.ReadAllBytesAsync(zip);
        var probe = content.AsSpan(offsetInEntry, 64).ToArray();
        var at = bytes.AsSpan().IndexOf(probe);
        if (at < 0)
        {
            throw new InvalidOperationException($"{name} is not stored verbatim in the zip");
        }

        bytes[at] ^= 0x01;
        await File.WriteAllBytesAsync(zip, bytes);
    }

    public static byte[] ChangeOneByte(byte[] content, int at)
    {
        var changed = content.ToArray();
        changed[at] ^= 0x80;
        return changed;
    }

    public static byte[] ReplaceText(byte[] content, string from, string to) => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(content).Replace(from, to, StringComparison.Ordinal));
}
