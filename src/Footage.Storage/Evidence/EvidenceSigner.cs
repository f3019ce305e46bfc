using System.Security.Cryptography;
using Footage.Evidence;
using Footage.ServiceDefaults;
using Microsoft.Extensions.Options;

namespace Footage.Storage.Evidence;

/// <summary>
/// The system's evidence key, loaded once: the configured one, or the one in the data folder, made there at first start
/// (owner-only permissions; two processes starting together on one data folder end up with the same key).
/// </summary>
public sealed class EvidenceSigner : IDisposable
{
    public const string PublicKeyPath = "/api/v1/storage/evidence/public-key";

    public EvidenceSigner(IOptions<EvidenceOptions> options, IOptions<FootageOptions> footage)
    {
        Key = Load(options.Value, FootageOptions.ResolveDataDirectory(footage.Value.DataDirectory));
    }

    public EvidenceKey Key { get; }

    public void Dispose() => Key.Dispose();

    /// <summary>The configured key, or the data folder's (made when missing); throws with the reason when a configured key is unusable.</summary>
    public static EvidenceKey Load(EvidenceOptions options, string dataDirectory)
    {
        if (!string.IsNullOrWhiteSpace(options.SigningKey))
        {
            return Private(options.SigningKey, $"{EvidenceOptions.Section}:SigningKey");
        }

        if (!string.IsNullOrWhiteSpace(options.SigningKeyFile))
        {
            var configured = Path.GetFullPath(options.SigningKeyFile, dataDirectory);
            if (!File.Exists(configured))
            {
                throw new InvalidOperationException($"{EvidenceOptions.Section}:SigningKeyFile names {configured}, which does not exist.");
            }

            return Private(File.ReadAllText(configured), configured);
        }

        Directory.CreateDirectory(dataDirectory);
        var path = Path.Combine(dataDirectory, EvidenceOptions.DefaultKeyFileName);
        if (!File.Exists(path))
        {
            using var made = EvidenceKey.Generate();
            var tmp = $"{path}.{Guid.NewGuid():N}.tmp";
            File.WriteAllText(tmp, made.ExportPrivateKeyPem());
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(tmp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            try
            {
                File.Move(tmp, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                File.Delete(tmp); // another process on this data folder made it first: use theirs
            }
        }

        return Private(File.ReadAllText(path), path);
    }

    private static EvidenceKey Private(string pem, string where)
    {
        EvidenceKey key;
        try
        {
            key = EvidenceKey.FromPem(pem);
        }
        catch (CryptographicException e)
        {
            throw new InvalidOperationException($"The evidence signing key in {where} cannot be used: {e.Message}", e);
        }

        if (!key.HasPrivateKey)
        {
            key.Dispose();
            throw new InvalidOperationException($"The evidence signing key in {where} is a public key; signing needs the private key (PKCS#8 or EC PRIVATE KEY PEM).");
        }

        return key;
    }
}
