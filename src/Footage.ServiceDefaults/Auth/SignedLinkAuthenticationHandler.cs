using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Footage.ServiceDefaults.Auth;

/// <summary>
/// Admits a request whose URL carries a valid, unexpired signature as a viewer of exactly what was signed: the whole URL
/// (<c>expires</c> and <c>sig</c> last in the query) or a folder (a <see cref="PathToken"/> in the path, for everything
/// under it; the folder is the <c>signed_folder</c> claim). Endpoints opt in with the <c>viewer-or-signed-link</c> policy.
/// </summary>
public sealed class SignedLinkAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    LinkSigner signer) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "SignedLink";
    public const string FolderClaim = "signed_folder";

    /// <summary>Whether the request presents a signed link of either form (what picks this scheme).</summary>
    public static bool Presents(HttpRequest request) =>
        request.Query.ContainsKey("sig") || PathToken.Find((request.PathBase + request.Path).Value ?? string.Empty) is not null;

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var query = Request.QueryString.Value ?? string.Empty;
        var sigAt = query.LastIndexOf("&sig=", StringComparison.Ordinal);
        if (sigAt >= 0 && Request.Query.ContainsKey("expires"))
        {
            var verdict = signer.Verify(Request.PathBase + Request.Path, query[..sigAt], Request.Query["expires"], query[(sigAt + 5)..]);
            return Task.FromResult(Result(verdict, null));
        }

        if (PathToken.Find((Request.PathBase + Request.Path).Value ?? string.Empty) is var (folder, token))
        {
            return Task.FromResult(Result(signer.VerifyFolder(folder, token), folder));
        }

        return Task.FromResult(AuthenticateResult.NoResult());
    }

    private static AuthenticateResult Result(LinkVerdict verdict, string? folder)
    {
        if (verdict != LinkVerdict.Valid)
        {
            return AuthenticateResult.Fail(verdict == LinkVerdict.Expired
                ? new RejectedCredentialsException("signed link expired", isGuess: false)
                : new RejectedCredentialsException("signed link signature not valid", isGuess: true));
        }

        List<Claim> claims = [new(ClaimTypes.Name, "signed-link"), new("signed_link", "true")];
        if (folder is not null)
        {
            claims.Add(new Claim(FolderClaim, folder));
        }

        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));
    }
}
