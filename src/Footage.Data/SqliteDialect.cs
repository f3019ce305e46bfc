using System.Data.Common;
using System.Text.Json;
using Footage.Core.Time;

namespace Footage.Data;

/// <summary>
/// Ids as lower-case text, instants as integer microseconds since the Unix epoch (so they sort and compare
/// as numbers, at PostgreSQL's precision), arrays as JSON text.
/// </summary>
public sealed class SqliteDialect : SqlDialect
{
    public static readonly SqliteDialect Instance = new();

    public override bool IsPostgres => false;

    public override object Id(Guid id) => id.ToString("D");

    public override Guid ReadId(DbDataReader reader, int ordinal) => Guid.Parse(reader.GetString(ordinal));

    public override object Time(DateTimeOffset value) => Instants.ToUnixMicroseconds(value);

    public override DateTimeOffset ReadTime(DbDataReader reader, int ordinal) =>
        Instants.FromUnixMicroseconds(reader.GetInt64(ordinal));

    public override object Ids(IReadOnlyCollection<Guid> ids) =>
        JsonSerializer.Serialize(ids.Select(id => id.ToString("D")));

    public override IReadOnlyList<Guid> ReadIds(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? [] : (JsonSerializer.Deserialize<string[]>(reader.GetString(ordinal)) ?? []).Select(Guid.Parse).ToArray();

    public override object Texts(IReadOnlyCollection<string> values) => JsonSerializer.Serialize(values);

    public override IReadOnlyList<string> ReadTexts(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? [] : JsonSerializer.Deserialize<string[]>(reader.GetString(ordinal)) ?? [];

    public override string ArrayContains(string column, string parameter) =>
        $"EXISTS (SELECT 1 FROM json_each({column}) WHERE json_each.value = {parameter})";
}
