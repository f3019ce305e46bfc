using System.Data.Common;
using Footage.Data;
using Footage.Metadata.Incidents;

namespace Footage.Metadata.Search.Unified;

/// <summary>
/// The WHERE clause of a search over <c>search_entries e</c> for everything but the text: one branch per kind wanted,
/// each with the filters that apply to it; a kind that a given filter does not apply to is left out. A condition that
/// every branch holds (the cameras, the source, the end of the range, for incidents, notes and segments alike) is
/// written once outside the branches, so that PostgreSQL can combine its index (<c>idx_search_entries_cameras</c>) with
/// the text index; tags reach their cameras through segments, so a search with tags keeps them in their branch.
/// Values are bound.
/// </summary>
internal static class UnifiedFilters
{
    public static string Build(UnifiedSearchQuery query, IEnumerable<SearchKind> kinds, SqlDialect d, DbCommand command)
    {
        Bind(query, d, command);
        var branches = new List<(string Kind, List<string> Conditions)>();
        foreach (var kind in kinds.Distinct())
        {
            if (Conditions(kind, query, d) is { } conditions)
            {
                branches.Add(($"e.kind = '{SearchKinds.ToName(kind)}'", conditions));
            }
        }

        if (branches.Count == 0)
        {
            return "1 = 0";
        }

        var shared = branches[0].Conditions.Where(c => branches.All(b => b.Conditions.Contains(c))).ToList();
        var either = string.Join(" OR ", branches.Select(b =>
            "(" + string.Join(" AND ", b.Conditions.Where(c => !shared.Contains(c)).Prepend(b.Kind)) + ")"));
        return "(" + string.Join(" AND ", shared.Append("(" + either + ")")) + ")";
    }

    /// <summary>The conditions for one kind, or null when a filter given does not apply to it.</summary>
    private static List<string>? Conditions(SearchKind kind, UnifiedSearchQuery q, SqlDialect d)
    {
        var onlyIncidents = q.Severities.Count > 0 || q.Statuses.Count > 0 || q.AssignedTo is not null;
        if (kind != SearchKind.Incident && onlyIncidents)
        {
            return null;
        }

        if ((kind == SearchKind.Tag && (q.Tags.Count > 0 || q.CreatedBy is not null)) || (kind == SearchKind.Segment && (q.CreatedBy is not null || q.CreatedFrom is not null || q.CreatedTo is not null)))
        {
            return null;
        }

        var conditions = new List<string>();
        if (kind == SearchKind.Tag)
        {
            // a tag concerns the footage it is on: cameras, source and time go through the segments that carry it
            var footage = FootageOfSegment("s", q, d);
            if (footage.Count > 0)
            {
                conditions.Add($"EXISTS (SELECT 1 FROM video_tags vt JOIN segments s ON s.id = vt.segment_id WHERE vt.tag_id = e.entry_id AND {string.Join(" AND ", footage)})");
            }

            var created = new List<string>();
            AddCreated(created, "tags", q);
            if (created.Count > 0)
            {
                conditions.Add($"EXISTS (SELECT 1 FROM tags WHERE tags.id = e.entry_id AND {string.Join(" AND ", created)})");
            }

            return conditions;
        }

        if (q.CameraIds.Count > 0)
        {
            conditions.Add(AnyCamera(d, "@cameras"));
        }

        if (q.VisibleCameraIds is not null)
        {
            conditions.Add(AnyCamera(d, "@visible"));
        }

        if (q.Source is not null)
        {
            // a camera of the source that the caller may see: an incident covering a hidden camera of the source is not told apart
            var visible = q.VisibleCameraIds is null ? "" : " AND " + CameraIn(d, "c.id", "@visible");
            conditions.Add(d.IsPostgres
                ? $"e.camera_ids && ARRAY(SELECT c.id FROM cameras c WHERE c.source = @source{visible})"
                : $"EXISTS (SELECT 1 FROM json_each(e.camera_ids) j JOIN cameras c ON c.id = j.value WHERE c.source = @source{visible})");
        }

        var instant = kind == SearchKind.Annotation;
        if (q.From is not null)
        {
            conditions.Add(instant ? "e.start_time >= @from" : "e.end_time > @from");
        }

        if (q.To is not null)
        {
            conditions.Add("e.start_time < @to");
        }

        if (kind == SearchKind.Segment)
        {
            conditions.AddRange(q.Tags.Select((_, i) => SegmentHasTag("e.entry_id", i)));
            return conditions;
        }

        var table = kind == SearchKind.Incident ? "incidents" : "annotations";
        var source = new List<string>();
        if (kind == SearchKind.Incident)
        {
            if (q.Tags.Count > 0)
            {
                source.Add(IncidentSql.AllTags(d, "@tags"));
            }

            AddIn(source, "incidents.severity", "severity", q.Severities.Count);
            AddIn(source, "incidents.status", "status", q.Statuses.Count);
            if (q.CreatedBy is not null)
            {
                source.Add("incidents.created_by = @created_by");
            }

            if (q.AssignedTo is not null)
            {
                source.Add("incidents.assigned_to = @assigned_to");
            }
        }
        else
        {
            source.AddRange(q.Tags.Select((_, i) => SegmentHasTag("annotations.segment_id", i)));
            if (q.CreatedBy is not null)
            {
                source.Add("annotations.user_id = @created_by");
            }
        }

        AddCreated(source, table, q);
        if (source.Count > 0)
        {
            conditions.Add($"EXISTS (SELECT 1 FROM {table} WHERE {table}.id = e.entry_id AND {string.Join(" AND ", source)})");
        }

        return conditions;
    }

    private static List<string> FootageOfSegment(string s, UnifiedSearchQuery q, SqlDialect d)
    {
        var list = new List<string>();
        if (q.CameraIds.Count > 0)
        {
            list.Add(CameraIn(d, $"{s}.camera_id", "@cameras"));
        }

        if (q.VisibleCameraIds is not null)
        {
            list.Add(CameraIn(d, $"{s}.camera_id", "@visible"));
        }

        if (q.Source is not null)
        {
            list.Add($"{s}.camera_id IN (SELECT c.id FROM cameras c WHERE c.source = @source)");
        }

        if (q.From is not null)
        {
            list.Add($"{s}.end_time > @from");
        }

        if (q.To is not null)
        {
            list.Add($"{s}.start_time < @to");
        }

        return list;
    }

    private static string SegmentHasTag(string segment, int i) =>
        $"EXISTS (SELECT 1 FROM video_tags vt JOIN tags t ON t.id = vt.tag_id WHERE vt.segment_id = {segment} AND t.name = @tag{i})";

    private static string AnyCamera(SqlDialect d, string parameter) => d.IsPostgres
        ? $"e.camera_ids && {parameter}"
        : $"EXISTS (SELECT 1 FROM json_each(e.camera_ids) j WHERE j.value IN (SELECT value FROM json_each({parameter})))";

    private static string CameraIn(SqlDialect d, string column, string parameter) => d.IsPostgres
        ? $"{column} = ANY({parameter})"
        : $"{column} IN (SELECT value FROM json_each({parameter}))";

    private static void AddCreated(List<string> conditions, string table, UnifiedSearchQuery q)
    {
        if (q.CreatedFrom is not null)
        {
            conditions.Add($"{table}.created_at >= @created_from");
        }

        if (q.CreatedTo is not null)
        {
            conditions.Add($"{table}.created_at < @created_to");
        }
    }

    private static void AddIn(List<string> where, string column, string name, int count)
    {
        if (count > 0)
        {
            where.Add($"{column} IN ({string.Join(", ", Enumerable.Range(0, count).Select(i => $"@{name}{i}"))})");
        }
    }

    /// <summary>Binds every filter value once; the branches share them (a value no branch uses is ignored).</summary>
    private static void Bind(UnifiedSearchQuery q, SqlDialect d, DbCommand command)
    {
        if (q.CameraIds.Count > 0)
        {
            // only the cameras asked for that the caller may see: asking for a hidden camera tells nothing about it
            var cameras = q.VisibleCameraIds is { } visible ? q.CameraIds.Where(visible.Contains).ToArray() : q.CameraIds.ToArray();
            command.With("cameras", d.Ids(cameras));
        }

        if (q.VisibleCameraIds is not null)
        {
            command.With("visible", d.Ids(q.VisibleCameraIds.ToArray()));
        }

        if (q.Source is not null)
        {
            command.With("source", q.Source);
        }

        if (q.From is { } from)
        {
            command.With("from", d.Time(from));
        }

        if (q.To is { } to)
        {
            command.With("to", d.Time(to));
        }

        if (q.CreatedFrom is { } createdFrom)
        {
            command.With("created_from", d.Time(createdFrom));
        }

        if (q.CreatedTo is { } createdTo)
        {
            command.With("created_to", d.Time(createdTo));
        }

        if (q.Tags.Count > 0)
        {
            command.With("tags", d.Texts(q.Tags.ToArray()));
            for (var i = 0; i < q.Tags.Count; i++)
            {
                command.With($"tag{i}", q.Tags[i]);
            }
        }

        for (var i = 0; i < q.Severities.Count; i++)
        {
            command.With($"severity{i}", IncidentValues.ToDb(q.Severities[i]));
        }

        for (var i = 0; i < q.Statuses.Count; i++)
        {
            command.With($"status{i}", IncidentValues.ToDb(q.Statuses[i]));
        }

        if (q.CreatedBy is not null)
        {
            command.With("created_by", q.CreatedBy);
        }

        if (q.AssignedTo is not null)
        {
            command.With("assigned_to", q.AssignedTo);
        }
    }
}
