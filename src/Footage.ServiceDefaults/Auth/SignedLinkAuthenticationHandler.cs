using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Footage.ServiceDefaults.Auth;

/// <summary>
/// Admits a request whose URL carries a valid, unexpired signature (<c>expires</c> and <c>sig</c> last in
/// the query) as a viewer of exactly that URL. Endpoints opt in with the <c>signed-link</c> policy.
/// </summary>
public sealed class SignedLinkAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    LinkSigner signer) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "SignedLink";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var query = Request.QueryString.Value ?? string.Empty;
        var sigAt = query.LastIndexOf("&sig=", StringComparison.Ordinal);
        if (sigAt < 0 || !Request.Query.ContainsKey("expires"))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var signature = query[(sigAt + 5)..];
        var verdict = signer.Verify(Request.PathBase + Request.Path, query[..sigAt], Request.Query["expires"], signature);
        if (verdict != LinkVerdict.Valid)
        {
            return Task.FromResult(AuthenticateResult.Fail(verdict == LinkVerdict.Expired
                ? new RejectedCredentialsException("signed link expired", isGuess: false)
                : new RejectedCredentialsException("signed link signature not valid", isGuess: true)));
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "signed-link"), new Claim("signed_link", "true")], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }
}
