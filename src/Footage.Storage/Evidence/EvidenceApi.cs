using Footage.Evidence;
using Footage.ServiceDefaults.Auth;
using Footage.ServiceDefaults.Work;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Footage.Storage.Evidence;

/// <summary>
/// <c>/api/v1/storage/evidence</c>: the public key that verifies exports and clips (open to anyone: a recipient outside the
/// system needs it, and it is public by nature), and a check of a downloaded package against this system's key.
/// </summary>
public static class EvidenceApi
{
    public sealed record PublicKeyResponse(string Algorithm, string Fingerprint, string PublicKeyPem);

    public sealed record VerificationResponse(
        bool Valid,
        bool SignedByThisSystem,
        string? Kind,
        string? Id,
        string? KeyFingerprint,
        bool ManifestSignatureValid,
        bool ChecksumsSignatureValid,
        IReadOnlyList<EvidenceFileCheck> Files,
        IReadOnlyList<EvidenceProblem> Problems);

    public static IEndpointRouteBuilder MapEvidenceApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/storage/evidence").WithTags("Evidence");
        group.MapGet("/public-key", (EvidenceSigner signer) =>
            TypedResults.Ok(new PublicKeyResponse(EvidenceFiles.Algorithm, signer.Key.Fingerprint, signer.Key.PublicKeyPem))).AllowAnonymous();
        group.MapGet("/public-key.pem", (EvidenceSigner signer) =>
            TypedResults.Text(signer.Key.PublicKeyPem, "application/x-pem-file")).AllowAnonymous();
        var limit = endpoints.ServiceProvider.GetRequiredService<IOptions<EvidenceOptions>>().Value.MaxVerifyBytes;
        group.MapPost("/verify", Verify).RequireAuthorization(Roles.Viewer).WithMetadata(new RequestSizeLimitAttribute(limit))
            .Accepts<Stream>("application/zip");
        return endpoints;
    }

    /// <summary>
    /// The body is the package (<c>application/zip</c>, as downloaded); it is verified against this system's key, kept in
    /// scratch (reserved within the quota like a download's) only while it is checked. A tampered package is a 200 whose
    /// verdict names what changed; a body that is not a zip at all is a 400.
    /// </summary>
    private static async Task<Results<Ok<VerificationResponse>, ValidationProblem>> Verify(
        HttpRequest request, EvidenceSigner signer, WorkLimiter limiter, IOptions<EvidenceOptions> options, CancellationToken ct)
    {
        // a costly job like a download: a slot of this server and of this caller, and scratch for the whole body (429 when full)
        using var lease = limiter.Start(request.HttpContext, "evidence verification", Math.Max(1, request.ContentLength ?? options.Value.MaxVerifyBytes));
        var scratch = Path.Combine(lease.Folder!, "package.zip");
        await using (var file = new FileStream(scratch, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
        {
            await request.Body.CopyToAsync(file, ct);
        }

        if (new FileInfo(scratch).Length == 0)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = ["is empty: send the evidence zip as the body (application/zip)"] });
        }

        EvidenceReport report;
        try
        {
            report = await EvidenceVerifier.VerifyAsync(scratch, signer.Key, ct);
        }
        catch (EvidenceFormatException e)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = [$"is not an evidence zip: {e.Message}"] });
        }

        return TypedResults.Ok(new VerificationResponse(report.Valid, report.KeyTrusted == true, report.Kind, report.Id, report.KeyFingerprint,
            report.ManifestSignatureValid, report.ChecksumsSignatureValid, report.Files, report.Problems));
    }
}
