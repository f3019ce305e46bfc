using Footage.ServiceDefaults.Auth;

namespace Footage.ServiceDefaults.Audit;

/// <summary>What the pipeline learnt about a request that may be refused, for <see cref="RefusalAuditMiddleware"/> to write down.</summary>
public sealed class RefusalFeature
{
    /// <summary>Why authentication failed, when credentials were presented and did not verify.</summary>
    public SignInFailure? SignInFailure { get; set; }

    /// <summary>Set when a rate limit answered 429.</summary>
    public string? LimitReason { get; set; }
}
