using System.Data.Common;

namespace Footage.Data;

/// <summary>
/// The few places where PostgreSQL and SQLite differ for our tables: how ids, instants and arrays are
/// stored and read back. Everything else (SQL text with @parameters, ON CONFLICT, RETURNING) is shared.
/// </summary>
public abstract class SqlDialect
{
    public abstract bool IsPostgres { get; }

    public abstract object Id(Guid id);

    public abstract Guid ReadId(DbDataReader reader, int ordinal);

    public abstract object Time(DateTimeOffset value);

    public abstract DateTimeOffset ReadTime(DbDataReader reader, int ordinal);

    public abstract object Ids(IReadOnlyCollection<Guid> ids);

    public abstract IReadOnlyList<Guid> ReadIds(DbDataReader reader, int ordinal);

    public abstract object Texts(IReadOnlyCollection<string> values);

    public abstract IReadOnlyList<string> ReadTexts(DbDataReader reader, int ordinal);

    public object? NullableId(Guid? id) => id is { } value ? Id(value) : null;

    public object? NullableTime(DateTimeOffset? value) => value is { } v ? Time(v) : null;

    public Guid? ReadNullableId(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : ReadId(reader, ordinal);

    public DateTimeOffset? ReadNullableTime(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : ReadTime(reader, ordinal);

    /// <summary>SQL that is true when the array column contains the parameter.</summary>
    public abstract string ArrayContains(string column, string parameter);
}
