namespace Footage.ServiceDefaults.Auth;

/// <summary>
/// The three roles, each including the one below it: a viewer watches and searches, an operator also
/// records, tags, exports and deletes footage, an admin also manages keys and retention.
/// Policies of the same names admit the role and every role above it.
/// </summary>
public static class Roles
{
    public const string Viewer = "viewer";
    public const string Operator = "operator";
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [Viewer, Operator, Admin];

    public static bool IsKnown(string? role) => role is Viewer or Operator or Admin;

    /// <summary>The roles that satisfy a policy of <paramref name="role"/>.</summary>
    public static string[] AtLeast(string role) => role switch
    {
        Viewer => [Viewer, Operator, Admin],
        Operator => [Operator, Admin],
        Admin => [Admin],
        _ => throw new ArgumentOutOfRangeException(nameof(role)),
    };
}
