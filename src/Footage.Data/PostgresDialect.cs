using System.Data.Common;
using Footage.Core.Time;

namespace Footage.Data;

/// <summary>Native uuid, timestamptz and array types.</summary>
public sealed class PostgresDialect : SqlDialect
{
    public static readonly PostgresDialect Instance = new();

    public override bool IsPostgres => true;

    public override object Id(Guid id) => id;

    public override Guid ReadId(DbDataReader reader, int ordinal) => reader.GetGuid(ordinal);

    public override object Time(DateTimeOffset value) => Instants.Normalize(value).UtcDateTime;

    public override DateTimeOffset ReadTime(DbDataReader reader, int ordinal) =>
        new(DateTime.SpecifyKind(reader.GetDateTime(ordinal), DateTimeKind.Utc));

    public override object Ids(IReadOnlyCollection<Guid> ids) => ids.ToArray();

    public override IReadOnlyList<Guid> ReadIds(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? [] : reader.GetFieldValue<Guid[]>(ordinal);

    public override object Texts(IReadOnlyCollection<string> values) => values.ToArray();

    public override IReadOnlyList<string> ReadTexts(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? [] : reader.GetFieldValue<string[]>(ordinal);

    public override string ArrayContains(string column, string parameter) => $"{parameter} = ANY({column})";
}
