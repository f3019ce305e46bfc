namespace Footage.Milestone;

/// <summary>What went wrong talking to Milestone, in terms a caller can act on.</summary>
public enum MilestoneFailure
{
    /// <summary>Milestone refused our credentials (wrong user or password, or the client id).</summary>
    BadCredentials,

    /// <summary>Milestone says the session token is invalid (error 20001, sub-error 2).</summary>
    TokenInvalid,

    /// <summary>Milestone says the session token expired (error 20001, sub-error 3).</summary>
    TokenExpired,

    /// <summary>Milestone does not know the camera.</summary>
    UnknownCamera,

    /// <summary>Milestone could not be reached, stalled or hung up.</summary>
    Unreachable,

    /// <summary>Milestone answered something this adapter does not understand.</summary>
    Protocol,

    /// <summary>Any other refusal (a SOAP fault, <c>connected no</c>).</summary>
    Refused,

    /// <summary>Milestone asks to try again later (error 20001, sub-error 4): the token is good, the server is busy.</summary>
    Busy,

    /// <summary>Milestone sent footage in a form this adapter cannot store (legacy video blocks, a codec it does not carry).</summary>
    Unsupported,
}

/// <summary>A failure of a Milestone request; the message says what Milestone answered (never a credential).</summary>
public sealed class MilestoneException(MilestoneFailure failure, string message, Exception? inner = null) : Exception(message, inner)
{
    public MilestoneFailure Failure { get; } = failure;

    public bool IsTokenProblem => Failure is MilestoneFailure.TokenInvalid or MilestoneFailure.TokenExpired;
}
