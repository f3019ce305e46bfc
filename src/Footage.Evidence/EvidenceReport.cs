namespace Footage.Evidence;

/// <summary>
/// The verdict on a package. <see cref="Valid"/> when both signatures verify with the key used, every video and the manifest
/// hash to what the signed files say, and nothing is missing or added. <see cref="KeyTrusted"/> says whether that key is the
/// one the verifier was told to trust (null when it was given none and used the key in the package).
/// </summary>
public sealed record EvidenceReport(
    bool Valid,
    string? Kind,
    string? Id,
    string? KeyFingerprint,
    bool? KeyTrusted,
    bool ManifestSignatureValid,
    bool ChecksumsSignatureValid,
    IReadOnlyList<EvidenceFileCheck> Files,
    IReadOnlyList<EvidenceProblem> Problems);
