using System.Text.Json;
using Footage.Evidence;
using Footage.ServiceDefaults.Json;

namespace Footage.Storage.Evidence;

/// <summary>
/// Makes the evidence package of an export or a clip: the stitched videos, the manifest (indented JSON, the wire format's
/// names), <c>SHA256SUMS</c>, both signed with the system's key, the public key and the README, in one zip on local disk.
/// </summary>
public sealed class EvidencePackager(EvidenceSigner signer)
{
    public static readonly JsonSerializerOptions ManifestJson = CreateManifestJson();

    /// <summary>The package on disk, its SHA-256 and size, and the exact manifest bytes that were signed.</summary>
    public sealed record Package(string LocalPath, string Sha256, long Size, byte[] Manifest);

    public string KeyFingerprint => signer.Key.Fingerprint;

    public async Task<Package> WriteAsync<TManifest>(
        IReadOnlyList<(string Path, StitchedCamera Entry)> videos, TManifest manifest, string what, string zipPath, CancellationToken cancellationToken)
    {
        var manifestBytes = JsonSerializer.SerializeToUtf8Bytes(manifest, ManifestJson);
        var readme = EvidenceReadme.Write(what, signer.Key.Fingerprint, EvidenceSigner.PublicKeyPath);
        await using (var file = new FileStream(zipPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.Asynchronous))
        {
            await EvidencePackageWriter.WriteAsync(file, videos.Select(v => new EvidenceVideo(v.Entry.File, v.Path, v.Entry.Sha256)).ToArray(),
                manifestBytes, signer.Key, readme, cancellationToken);
        }

        var (sha, size) = await FootageStitcher.HashFileAsync(zipPath, cancellationToken);
        return new Package(zipPath, sha, size, manifestBytes);
    }

    private static JsonSerializerOptions CreateManifestJson()
    {
        var options = FootageJson.Create();
        options.WriteIndented = true;
        return options;
    }
}
