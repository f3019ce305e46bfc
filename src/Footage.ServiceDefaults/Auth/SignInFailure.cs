using Microsoft.IdentityModel.Tokens;

namespace Footage.ServiceDefaults.Auth;

/// <summary>
/// A failed authentication in a fixed vocabulary (the audit log and the limits never see the presented secret, nor a
/// library's message that might quote it), and whether it counts as a guess against the failed sign-in limit.
/// </summary>
public sealed record SignInFailure(string Reason, bool IsGuess)
{
    public static SignInFailure Describe(Exception failure) => failure switch
    {
        RejectedCredentialsException rejected => new(rejected.Message, rejected.IsGuess),
        AggregateException { InnerExceptions.Count: > 0 } many => Describe(many.InnerExceptions[0]),
        SecurityTokenExpiredException => new("bearer token expired", false),
        SecurityTokenNotYetValidException => new("bearer token not yet valid", false),
        SecurityTokenInvalidSignatureException or SecurityTokenSignatureKeyNotFoundException => new("bearer token signature not valid", true),
        SecurityTokenInvalidIssuerException => new("bearer token issuer not accepted", true),
        SecurityTokenInvalidAudienceException => new("bearer token audience not accepted", true),
        SecurityTokenMalformedException or ArgumentException => new("bearer token malformed", true),
        SecurityTokenException => new("bearer token not valid", true),
        _ => new("credentials not valid", true),
    };
}
