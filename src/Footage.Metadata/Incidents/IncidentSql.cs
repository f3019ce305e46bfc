using Footage.Data;

namespace Footage.Metadata.Incidents;

/// <summary>
/// The incident filters whose SQL differs between the databases: arrays are native on PostgreSQL (with GIN
/// indexes) and JSON text on SQLite. Every value is a bound parameter; only these fixed fragments are SQL.
/// </summary>
internal static class IncidentSql
{
    public const string Columns =
        "incidents.id, incidents.title, incidents.description, incidents.severity, incidents.status, incidents.camera_ids, incidents.start_time, incidents.end_time, " +
        "incidents.tags, incidents.assigned_to, incidents.created_by, incidents.created_at, incidents.updated_at, incidents.closed_at";

    /// <summary>The incident covers at least one of the cameras in the array parameter.</summary>
    public static string AnyCamera(SqlDialect d, string parameter) => d.IsPostgres
        ? $"incidents.camera_ids && {parameter}"
        : $"EXISTS (SELECT 1 FROM json_each(incidents.camera_ids) a WHERE a.value IN (SELECT value FROM json_each({parameter})))";

    /// <summary>The incident covers at least one camera of the source.</summary>
    public static string CameraOfSource(SqlDialect d, string parameter) => d.IsPostgres
        ? $"incidents.camera_ids && ARRAY(SELECT c.id FROM cameras c WHERE c.source = {parameter})"
        : $"EXISTS (SELECT 1 FROM json_each(incidents.camera_ids) a JOIN cameras c ON c.id = a.value WHERE c.source = {parameter})";

    /// <summary>The incident has every tag in the array parameter.</summary>
    public static string AllTags(SqlDialect d, string parameter) => d.IsPostgres
        ? $"incidents.tags @> {parameter}"
        : $"NOT EXISTS (SELECT 1 FROM json_each({parameter}) w WHERE w.value NOT IN (SELECT value FROM json_each(incidents.tags)))";

    public static Incident Read(System.Data.Common.DbDataReader reader, SqlDialect d, int first = 0) =>
        new(d.ReadId(reader, first),
            reader.GetString(first + 1),
            reader.IsDBNull(first + 2) ? null : reader.GetString(first + 2),
            IncidentValues.ParseSeverity(reader.GetString(first + 3)),
            IncidentValues.ParseStatus(reader.GetString(first + 4)),
            d.ReadIds(reader, first + 5),
            d.ReadTime(reader, first + 6),
            d.ReadTime(reader, first + 7),
            d.ReadTexts(reader, first + 8),
            reader.IsDBNull(first + 9) ? null : reader.GetString(first + 9),
            reader.GetString(first + 10),
            d.ReadTime(reader, first + 11),
            d.ReadTime(reader, first + 12),
            d.ReadNullableTime(reader, first + 13));
}
