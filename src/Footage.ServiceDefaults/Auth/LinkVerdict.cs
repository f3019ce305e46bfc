namespace Footage.ServiceDefaults.Auth;

/// <summary>What <see cref="LinkSigner.Verify"/> found.</summary>
public enum LinkVerdict
{
    Valid,
    Expired,
    BadSignature,
}
