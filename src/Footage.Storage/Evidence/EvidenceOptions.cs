using System.ComponentModel.DataAnnotations;

namespace Footage.Storage.Evidence;

/// <summary>
/// <c>Footage:Evidence</c>: the key that signs exports and incident clips. Left unset, a key pair is made at first start and kept
/// in the data folder (<c>evidence-signing-key.pem</c>). A fleet gives every Storage process the same key, as a file
/// (<see cref="SigningKeyFile"/>, a mounted secret) or as text (<see cref="SigningKey"/>): a configured key that is missing or
/// unreadable stops the process at start instead of signing with a key nobody publishes.
/// </summary>
public sealed class EvidenceOptions
{
    public const string Section = "Footage:Evidence";
    public const string DefaultKeyFileName = "evidence-signing-key.pem";

    /// <summary>An ECDSA P-256 private key in PEM (PKCS#8 or SEC 1), e.g. from an environment variable.</summary>
    public string? SigningKey { get; set; }

    /// <summary>A file holding that key; relative paths are under the data folder.</summary>
    public string? SigningKeyFile { get; set; }

    /// <summary>The largest package <c>POST /api/v1/storage/evidence/verify</c> accepts.</summary>
    [Range(1024, long.MaxValue)]
    public long MaxVerifyBytes { get; set; } = 4L * 1024 * 1024 * 1024;
}
