using System.Security.Cryptography;
using System.Text;

namespace Footage.Evidence;

/// <summary>
/// The key that signs evidence (ECDSA P-256, signatures over SHA-256 in DER, as OpenSSL writes and reads them), or only its
/// public half to verify with. Its fingerprint is the SHA-256 of the public key's DER SubjectPublicKeyInfo, in lower-case hex:
/// <c>openssl pkey -pubin -in public-key.pem -outform DER | sha256sum</c> prints the same.
/// </summary>
public sealed class EvidenceKey : IDisposable
{
    private readonly ECDsa _key;

    private EvidenceKey(ECDsa key, bool hasPrivateKey)
    {
        if (key.KeySize != 256)
        {
            key.Dispose();
            throw new CryptographicException($"An evidence key is ECDSA on P-256; this one has {key.KeySize} bits.");
        }

        _key = key;
        HasPrivateKey = hasPrivateKey;
        var spki = key.ExportSubjectPublicKeyInfo();
        Fingerprint = Convert.ToHexStringLower(SHA256.HashData(spki));
        PublicKeyPem = PemEncoding.WriteString("PUBLIC KEY", spki) + "\n";
    }

    public bool HasPrivateKey { get; }

    /// <summary>SHA-256 of the DER public key, lower-case hex.</summary>
    public string Fingerprint { get; }

    /// <summary>The public key as PEM (SubjectPublicKeyInfo), ending in a newline.</summary>
    public string PublicKeyPem { get; }

    public static EvidenceKey Generate() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256), hasPrivateKey: true);

    /// <summary>A private key (PKCS#8 or SEC 1 PEM) to sign with, or a public key (SubjectPublicKeyInfo PEM) to verify with.</summary>
    public static EvidenceKey FromPem(string pem)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw new CryptographicException($"Not an ECDSA key in PEM: {e.Message}", e);
        }

        var hasPrivate = pem.Contains("PRIVATE KEY-----", StringComparison.Ordinal);
        return new EvidenceKey(key, hasPrivate);
    }

    /// <summary>The private key as PKCS#8 PEM, for the key file.</summary>
    public string ExportPrivateKeyPem() =>
        HasPrivateKey ? _key.ExportPkcs8PrivateKeyPem() + "\n" : throw new InvalidOperationException("This evidence key has no private half.");

    public byte[] Sign(ReadOnlySpan<byte> data) =>
        HasPrivateKey
            ? _key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)
            : throw new InvalidOperationException("This evidence key has no private half; it can only verify.");

    public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        try
        {
            return _key.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (CryptographicException)
        {
            return false; // not a DER signature at all
        }
    }

    public static string FingerprintOf(string publicKeyPem)
    {
        using var key = FromPem(publicKeyPem);
        return key.Fingerprint;
    }

    public void Dispose() => _key.Dispose();

    public override string ToString() => $"{EvidenceFiles.Algorithm} key {Fingerprint}";

    internal static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
