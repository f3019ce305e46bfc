using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace Footage.Evidence;

/// <summary>
/// Writes an evidence package: the videos, the manifest, <c>SHA256SUMS</c>, a signature of each of the two, the public key and
/// the README. Every entry is stored, not deflated (video does not compress, and a recipient's byte-level tools see in the zip
/// exactly the bytes that were hashed).
/// </summary>
public static class EvidencePackageWriter
{
    public static async Task WriteAsync(
        Stream output, IReadOnlyList<EvidenceVideo> videos, byte[] manifest, EvidenceKey key, string readme, CancellationToken cancellationToken)
    {
        var names = videos.Select(v => v.Name).ToList();
        if (names.Distinct(StringComparer.Ordinal).Count() != names.Count || names.Any(n => EvidenceFiles.Fixed.Contains(n) || n.Contains('/', StringComparison.Ordinal)))
        {
            throw new ArgumentException("Video names must be distinct plain file names, none of them a name the package itself uses.", nameof(videos));
        }

        var checksums = Checksums(videos, manifest);
        await using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        foreach (var video in videos)
        {
            await zip.CreateEntryFromFileAsync(video.LocalPath, video.Name, CompressionLevel.NoCompression, cancellationToken);
        }

        await AddAsync(zip, EvidenceFiles.Manifest, manifest, cancellationToken);
        await AddAsync(zip, EvidenceFiles.ManifestSignature, key.Sign(manifest), cancellationToken);
        await AddAsync(zip, EvidenceFiles.Checksums, checksums, cancellationToken);
        await AddAsync(zip, EvidenceFiles.ChecksumsSignature, key.Sign(checksums), cancellationToken);
        await AddAsync(zip, EvidenceFiles.PublicKey, EvidenceKey.Utf8(key.PublicKeyPem), cancellationToken);
        await AddAsync(zip, EvidenceFiles.Readme, EvidenceKey.Utf8(readme), cancellationToken);
    }

    /// <summary><c>sha256sum</c>'s format: the hex digest, two spaces, the name; one line per video, then the manifest.</summary>
    public static byte[] Checksums(IReadOnlyList<EvidenceVideo> videos, byte[] manifest)
    {
        var text = new StringBuilder();
        foreach (var video in videos)
        {
            text.Append(CultureInfo.InvariantCulture, $"{video.Sha256}  {video.Name}\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(manifest))}  {EvidenceFiles.Manifest}\n");
        return EvidenceKey.Utf8(text.ToString());
    }

    private static async Task AddAsync(ZipArchive zip, string name, byte[] content, CancellationToken cancellationToken)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.NoCompression);
        await using var stream = await entry.OpenAsync(cancellationToken);
        await stream.WriteAsync(content, cancellationToken);
    }
}
