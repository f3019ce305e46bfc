using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Footage.Evidence;

/// <summary>
/// Verifies an evidence package offline: both signatures (with a trusted key when given, else with the key in the package),
/// the SHA-256 and size of every video against the signed manifest and the signed <c>SHA256SUMS</c>, the manifest against
/// <c>SHA256SUMS</c>, and that no file is missing, added or present twice. Every mismatch is named with its file.
/// </summary>
public static class EvidenceVerifier
{
    /// <summary>The manifest, signatures, checksums, key and README are small; anything larger is not ours.</summary>
    public const int MaxSmallFileBytes = 16 * 1024 * 1024;

    public static async Task<EvidenceReport> VerifyAsync(string zipPath, EvidenceKey? trusted, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(zipPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        return await VerifyAsync(file, trusted, cancellationToken);
    }

    /// <param name="zip">A seekable stream holding the package.</param>
    public static async Task<EvidenceReport> VerifyAsync(Stream zip, EvidenceKey? trusted, CancellationToken cancellationToken)
    {
        ZipArchive archive;
        try
        {
            archive = await ZipArchive.CreateAsync(zip, ZipArchiveMode.Read, leaveOpen: true, entryNameEncoding: null, cancellationToken);
        }
        catch (InvalidDataException e)
        {
            throw new EvidenceFormatException($"This is not a zip archive: {e.Message}", e);
        }

        await using (archive)
        {
            return await new Run(archive, trusted).VerifyAsync(cancellationToken);
        }
    }

    private sealed class Run(ZipArchive archive, EvidenceKey? trusted)
    {
        private readonly List<EvidenceProblem> _problems = [];
        private readonly List<EvidenceFileCheck> _files = [];
        private readonly Dictionary<string, ZipArchiveEntry> _entries = new(StringComparer.Ordinal);

        public async Task<EvidenceReport> VerifyAsync(CancellationToken cancellationToken)
        {
            foreach (var group in archive.Entries.GroupBy(e => e.FullName, StringComparer.Ordinal))
            {
                if (group.Count() > 1)
                {
                    Problem(group.Key, $"is in the zip {group.Count()} times: a reader would see only one of them");
                }

                _entries[group.Key] = group.First();
            }

            var manifest = await ReadSmallAsync(EvidenceFiles.Manifest, cancellationToken);
            var manifestSignature = await ReadSmallAsync(EvidenceFiles.ManifestSignature, cancellationToken);
            var checksums = await ReadSmallAsync(EvidenceFiles.Checksums, cancellationToken);
            var checksumsSignature = await ReadSmallAsync(EvidenceFiles.ChecksumsSignature, cancellationToken);
            var publicKey = await ReadSmallAsync(EvidenceFiles.PublicKey, cancellationToken);

            using var packaged = LoadPackagedKey(publicKey);
            var key = trusted ?? packaged;
            bool? keyTrusted = null;
            if (trusted is not null)
            {
                keyTrusted = packaged?.Fingerprint == trusted.Fingerprint;
                if (keyTrusted == false)
                {
                    Problem(EvidenceFiles.PublicKey, packaged is null
                        ? $"the package carries no usable key; verified with the trusted key {trusted.Fingerprint}"
                        : $"is the key {packaged.Fingerprint}, not the trusted key {trusted.Fingerprint}");
                }
            }

            var manifestSigned = CheckSignature(key, manifest, manifestSignature, EvidenceFiles.Manifest, EvidenceFiles.ManifestSignature);
            var checksumsSigned = CheckSignature(key, checksums, checksumsSignature, EvidenceFiles.Checksums, EvidenceFiles.ChecksumsSignature);

            var listed = ParseManifest(manifest, out var kind, out var id);
            var sums = ParseChecksums(checksums);
            if (manifest is not null)
            {
                var actual = Convert.ToHexStringLower(SHA256.HashData(manifest));
                sums.TryGetValue(EvidenceFiles.Manifest, out var expected);
                if (sums.Count > 0 && expected is null)
                {
                    Problem(EvidenceFiles.Manifest, $"is not listed in {EvidenceFiles.Checksums}");
                }
                else if (expected is not null && expected != actual)
                {
                    Problem(EvidenceFiles.Manifest, $"SHA-256 is {actual}; {EvidenceFiles.Checksums} says {expected}");
                }

                _files.Add(new EvidenceFileCheck(EvidenceFiles.Manifest, manifest.Length, actual, expected, expected == actual));
            }

            await CheckVideosAsync(listed, sums, cancellationToken);
            var valid = _problems.Count == 0 && manifestSigned && checksumsSigned;
            return new EvidenceReport(valid, kind, id, packaged?.Fingerprint ?? key?.Fingerprint, keyTrusted, manifestSigned, checksumsSigned, _files, _problems);
        }

        private async Task CheckVideosAsync(Dictionary<string, (string? Sha256, long? Size)> listed, Dictionary<string, string> sums, CancellationToken cancellationToken)
        {
            foreach (var name in sums.Keys.Where(n => n != EvidenceFiles.Manifest && !listed.ContainsKey(n)))
            {
                Problem(name, $"is listed in {EvidenceFiles.Checksums} but not in {EvidenceFiles.Manifest}");
            }

            foreach (var (name, expected) in listed)
            {
                if (!_entries.TryGetValue(name, out var entry))
                {
                    Problem(name, $"is listed in {EvidenceFiles.Manifest} but missing from the zip");
                    continue;
                }

                var (sha256, size, crcBroken) = await HashAsync(entry, cancellationToken);
                var matches = true;
                if (expected.Sha256 != sha256)
                {
                    Problem(name, $"SHA-256 is {sha256}; {EvidenceFiles.Manifest} says {expected.Sha256 ?? "nothing"}");
                    matches = false;
                }

                if (expected.Size is { } expectedSize && expectedSize != size)
                {
                    Problem(name, $"is {size} bytes; {EvidenceFiles.Manifest} says {expectedSize}");
                    matches = false;
                }

                if (!sums.TryGetValue(name, out var summed))
                {
                    Problem(name, $"is not listed in {EvidenceFiles.Checksums}");
                    matches = false;
                }
                else if (summed != sha256)
                {
                    Problem(name, $"SHA-256 is {sha256}; {EvidenceFiles.Checksums} says {summed}");
                    matches = false;
                }

                if (crcBroken)
                {
                    Problem(name, "its bytes do not match the CRC-32 the zip recorded for it: it was changed inside the zip");
                    matches = false;
                }

                _files.Add(new EvidenceFileCheck(name, size, sha256, expected.Sha256, matches));
            }

            foreach (var name in _entries.Keys.Where(n => !listed.ContainsKey(n) && !EvidenceFiles.Fixed.Contains(n)))
            {
                Problem(name, $"is in the zip but not listed in {EvidenceFiles.Manifest}");
            }
        }

        private static async Task<(string Sha256, long Size, bool CrcBroken)> HashAsync(ZipArchiveEntry entry, CancellationToken cancellationToken)
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[1 << 16];
            long size = 0;
            var crcBroken = false;
            try
            {
                await using var stream = await entry.OpenAsync(cancellationToken);
                int read;
                while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    size += read;
                }
            }
            catch (InvalidDataException)
            {
                crcBroken = true; // the reader checks the zip's CRC-32 at the end: every byte was hashed by then
            }

            return (Convert.ToHexStringLower(hash.GetHashAndReset()), size, crcBroken);
        }

        private async Task<byte[]?> ReadSmallAsync(string name, CancellationToken cancellationToken)
        {
            if (!_entries.TryGetValue(name, out var entry))
            {
                Problem(name, "is missing from the zip");
                return null;
            }

            if (entry.Length > MaxSmallFileBytes)
            {
                Problem(name, $"is {entry.Length} bytes, more than such a file ever holds");
                return null;
            }

            try
            {
                await using var stream = await entry.OpenAsync(cancellationToken);
                using var copy = new MemoryStream();
                await stream.CopyToAsync(copy, cancellationToken);
                return copy.ToArray();
            }
            catch (InvalidDataException e)
            {
                Problem(name, $"cannot be read from the zip ({e.Message}): it was changed inside the zip");
                return null;
            }
        }

        private EvidenceKey? LoadPackagedKey(byte[]? pem)
        {
            if (pem is null)
            {
                return null;
            }

            try
            {
                return EvidenceKey.FromPem(Encoding.UTF8.GetString(pem));
            }
            catch (CryptographicException e)
            {
                Problem(EvidenceFiles.PublicKey, $"is not a usable public key: {e.Message}");
                return null;
            }
        }

        private bool CheckSignature(EvidenceKey? key, byte[]? content, byte[]? signature, string file, string signatureFile)
        {
            if (key is null || content is null || signature is null)
            {
                return false;
            }

            if (key.Verify(content, signature))
            {
                return true;
            }

            Problem(file, $"does not match its signature in {signatureFile} with the key {key.Fingerprint}: it was changed after it was signed, or signed by another key");
            return false;
        }

        private Dictionary<string, (string? Sha256, long? Size)> ParseManifest(byte[]? manifest, out string? kind, out string? id)
        {
            kind = null;
            id = null;
            var listed = new Dictionary<string, (string? Sha256, long? Size)>(StringComparer.Ordinal);
            if (manifest is null)
            {
                return listed;
            }

            try
            {
                using var document = JsonDocument.Parse(manifest);
                var root = document.RootElement;
                kind = root.TryGetProperty("kind", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString() : null;
                id = kind is not null && root.TryGetProperty($"{kind}_id", out var i) && i.ValueKind == JsonValueKind.String ? i.GetString() : null;
                if (!root.TryGetProperty("cameras", out var cameras) || cameras.ValueKind != JsonValueKind.Array)
                {
                    Problem(EvidenceFiles.Manifest, "lists no cameras");
                    return listed;
                }

                foreach (var camera in cameras.EnumerateArray())
                {
                    var name = camera.TryGetProperty("file", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString() : null;
                    if (string.IsNullOrEmpty(name))
                    {
                        Problem(EvidenceFiles.Manifest, "lists a camera without its file");
                        continue;
                    }

                    var sha = camera.TryGetProperty("sha256", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
                    long? size = camera.TryGetProperty("size_bytes", out var b) && b.TryGetInt64(out var bytes) ? bytes : null;
                    if (!listed.TryAdd(name, (sha, size)))
                    {
                        Problem(EvidenceFiles.Manifest, $"lists {name} twice");
                    }
                }
            }
            catch (JsonException e)
            {
                Problem(EvidenceFiles.Manifest, $"is not valid JSON ({e.Message})");
            }

            return listed;
        }

        private Dictionary<string, string> ParseChecksums(byte[]? checksums)
        {
            var sums = new Dictionary<string, string>(StringComparer.Ordinal);
            if (checksums is null)
            {
                return sums;
            }

            var number = 0;
            foreach (var line in Encoding.UTF8.GetString(checksums).Split('\n'))
            {
                number++;
                if (line.Length == 0)
                {
                    continue;
                }

                // "<64 hex>  <name>" (text mode) or "<64 hex> *<name>" (binary mode), as sha256sum writes them
                if (line.Length < 67 || line[64] != ' ' || (line[65] != ' ' && line[65] != '*') || !IsHex(line.AsSpan(0, 64)))
                {
                    Problem(EvidenceFiles.Checksums, string.Create(CultureInfo.InvariantCulture, $"line {number} is not '<SHA-256>  <file>'"));
                    continue;
                }

                if (!sums.TryAdd(line[66..], line[..64].ToLowerInvariant()))
                {
                    Problem(EvidenceFiles.Checksums, $"lists {line[66..]} twice");
                }
            }

            return sums;
        }

        private static bool IsHex(ReadOnlySpan<char> text)
        {
            foreach (var c in text)
            {
                if (!char.IsAsciiHexDigit(c))
                {
                    return false;
                }
            }

            return true;
        }

        private void Problem(string file, string problem) => _problems.Add(new EvidenceProblem(file, problem));
    }
}
