using Footage.ServiceDefaults.Audit;
using Footage.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace Footage.ServiceDefaults.Security;

/// <summary>
/// Right after authentication: when presented credentials did not verify, says why (for the audit of the refusal) and,
/// when it was a guess rather than a stale token or link, spends one of the address's failed sign-ins.
/// </summary>
public sealed class FailedSignInMiddleware(RequestDelegate next, FailedSignInLimiter limiter)
{
    public async Task InvokeAsync(HttpContext context)
    {
        // the handlers keep their result for the request: this reads it, it does not authenticate again
        var result = await context.AuthenticateAsync();
        if (result.Failure is { } failure)
        {
            var described = SignInFailure.Describe(failure);
            if (context.Features.Get<RefusalFeature>() is { } refusal)
            {
                refusal.SignInFailure = described;
            }

            if (described.IsGuess)
            {
                limiter.RecordFailure(context);
            }
        }

        await next(context);
    }
}
