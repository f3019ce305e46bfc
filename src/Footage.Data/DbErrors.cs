using Microsoft.Data.Sqlite;
using Npgsql;

namespace Footage.Data;

/// <summary>Database errors that mean the same on both databases.</summary>
public static class DbErrors
{
    /// <summary>A unique index refused the row.</summary>
    public static bool IsUniqueViolation(Exception e) => e switch
    {
        PostgresException p => p.SqlState == PostgresErrorCodes.UniqueViolation,
        SqliteException s => s.SqliteErrorCode == 19 && s.SqliteExtendedErrorCode is 2067 or 1555,
        _ => false,
    };

    /// <summary>The name of the unique index or constraint that refused the row, where the database says it.</summary>
    public static string? ViolatedIndex(Exception e) => e switch
    {
        PostgresException p => p.ConstraintName,
        SqliteException s => s.Message,
        _ => null,
    };
}
