using Footage.Data;

namespace Footage.Metadata;

/// <summary>Whether a database error is a unique-constraint violation, on either database.</summary>
internal static class UniqueViolation
{
    public static bool Is(Exception e) => DbErrors.IsUniqueViolation(e);
}
