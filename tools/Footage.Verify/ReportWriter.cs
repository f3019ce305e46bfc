using Footage.Evidence;

namespace Footage.Verify;

/// <summary>The verdict as lines: what the package is, the key, each file checked, each problem, and the result last.</summary>
public static class ReportWriter
{
    public static async Task WriteAsync(EvidenceReport report, string zip, TextWriter output)
    {
        await output.WriteLineAsync($"Evidence package {zip}: {report.Kind ?? "unknown kind"} {report.Id ?? ""}".TrimEnd());
        await output.WriteLineAsync(report.KeyFingerprint is null
            ? "Signing key: none usable"
            : $"Signing key: {EvidenceFiles.Algorithm}, fingerprint {report.KeyFingerprint}" + report.KeyTrusted switch
            {
                true => " (the trusted key)",
                false => " (NOT the trusted key)",
                null => " (the key inside the package: compare this fingerprint with the one the system publishes)",
            });
        await output.WriteLineAsync($"Signature of {EvidenceFiles.Manifest}: {(report.ManifestSignatureValid ? "valid" : "NOT VALID")}");
        await output.WriteLineAsync($"Signature of {EvidenceFiles.Checksums}: {(report.ChecksumsSignatureValid ? "valid" : "NOT VALID")}");
        foreach (var file in report.Files)
        {
            await output.WriteLineAsync($"  {(file.Matches ? "OK     " : "CHANGED")} {file.File} ({file.SizeBytes} bytes, SHA-256 {file.Sha256})");
        }

        foreach (var problem in report.Problems)
        {
            await output.WriteLineAsync($"  PROBLEM {problem}");
        }

        await output.WriteLineAsync(report.Valid
            ? "Result: VERIFIED: the signatures hold and every file is as signed."
            : $"Result: NOT VERIFIED: {report.Problems.Count} problem(s).");
    }
}
