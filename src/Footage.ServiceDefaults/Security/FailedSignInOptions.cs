namespace Footage.ServiceDefaults.Security;

/// <summary>
/// <c>Footage:Security:FailedSignIns</c>: how many credentials that do not verify (an unknown API key, a token or signed link
/// with a wrong signature) one client address may present in a window before every request from it is answered 429
/// until the window ends. Expired tokens and links are not guesses and do not count.
/// </summary>
public sealed class FailedSignInOptions
{
    /// <summary>Failed sign-ins per address and window; 0 turns the limit off.</summary>
    public int Limit { get; set; } = 30;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}
