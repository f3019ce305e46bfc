using Microsoft.Data.Sqlite;
using Npgsql;

namespace Footage.Metadata;

/// <summary>Whether a database error is a unique-constraint violation, on either database.</summary>
internal static class UniqueViolation
{
    public static bool Is(Exception e) => e switch
    {
        PostgresException p => p.SqlState == PostgresErrorCodes.UniqueViolation,
        SqliteException s => s.SqliteErrorCode == 19 && s.SqliteExtendedErrorCode is 2067 or 1555,
        _ => false,
    };
}
