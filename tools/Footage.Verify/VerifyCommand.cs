using System.Security.Cryptography;
using Footage.Evidence;

namespace Footage.Verify;

/// <summary>The command: reads the arguments, verifies the package and prints the verdict a person reads.</summary>
public static class VerifyCommand
{
    public const int Verified = 0;
    public const int NotVerified = 1;
    public const int Usage = 2;

    private const string UsageText = """
        Usage: Footage.Verify <evidence.zip> [--public-key <trusted-key.pem>]

        Checks an evidence package (an export or an incident clip downloaded from Footage) without any server:
        the signatures of manifest.json and SHA256SUMS, and the SHA-256 and size of every video and of the manifest.
        Give --public-key with the key the system publishes (GET /api/v1/storage/evidence/public-key) to check that
        the package was signed by that system; without it the key inside the package is used and its fingerprint
        printed, to be compared with the published one.
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        string? zip = null;
        string? keyPath = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--public-key" when i + 1 < args.Length:
                    keyPath = args[++i];
                    break;
                case "-h" or "--help":
                    await output.WriteLineAsync(UsageText);
                    return Usage;
                default:
                    if (zip is not null || args[i].StartsWith("--", StringComparison.Ordinal))
                    {
                        await error.WriteLineAsync($"Unexpected argument '{args[i]}'.\n\n{UsageText}");
                        return Usage;
                    }

                    zip = args[i];
                    break;
            }
        }

        if (zip is null)
        {
            await error.WriteLineAsync(UsageText);
            return Usage;
        }

        if (!File.Exists(zip))
        {
            await error.WriteLineAsync($"{zip}: no such file.");
            return Usage;
        }

        EvidenceKey? trusted = null;
        try
        {
            if (keyPath is not null)
            {
                trusted = EvidenceKey.FromPem(await File.ReadAllTextAsync(keyPath, cancellationToken));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            await error.WriteLineAsync($"{keyPath}: cannot be used as the trusted public key ({e.Message}).");
            return Usage;
        }

        using (trusted)
        {
            EvidenceReport report;
            try
            {
                report = await EvidenceVerifier.VerifyAsync(zip, trusted, cancellationToken);
            }
            catch (EvidenceFormatException e)
            {
                await error.WriteLineAsync($"{zip}: {e.Message}");
                return Usage;
            }

            await ReportWriter.WriteAsync(report, zip, output);
            return report.Valid ? Verified : NotVerified;
        }
    }
}
