namespace Footage.Evidence;

/// <summary>
/// The files of an evidence package (the zip a recipient downloads): the videos named in the manifest, the manifest,
/// <c>SHA256SUMS</c> (every video and the manifest, in the format of coreutils' <c>sha256sum</c>), a detached signature of
/// each of these two, the public key that verifies them and a README for the recipient.
/// </summary>
public static class EvidenceFiles
{
    public const string Manifest = "manifest.json";
    public const string ManifestSignature = "manifest.json.sig";
    public const string Checksums = "SHA256SUMS";
    public const string ChecksumsSignature = "SHA256SUMS.sig";
    public const string PublicKey = "public-key.pem";
    public const string Readme = "README.txt";

    /// <summary>The files every package has besides its videos.</summary>
    public static readonly IReadOnlyList<string> Fixed = [Manifest, ManifestSignature, Checksums, ChecksumsSignature, PublicKey, Readme];

    /// <summary>What the signatures are: ECDSA on the NIST P-256 curve over SHA-256, DER-encoded (what <c>openssl dgst -verify</c> reads).</summary>
    public const string Algorithm = "ECDSA P-256 SHA-256";
}
