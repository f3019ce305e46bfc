namespace Footage.ServiceDefaults.Auth;

/// <summary>
/// Why our own handlers refused presented credentials, in words that never repeat them. <see cref="IsGuess"/> is false when
/// the credentials were genuine but stale (an expired link): a player with an old link is not guessing.
/// </summary>
public sealed class RejectedCredentialsException(string reason, bool isGuess) : Exception(reason)
{
    public bool IsGuess { get; } = isGuess;
}
