using System.Data.Common;
using Footage.Data;
using Footage.Metadata.Incidents;

namespace Footage.Metadata.Search;

/// <summary>The WHERE clause of an incident search's filters (everything but the text), with its values bound to the command.</summary>
internal static class IncidentFilters
{
    /// <summary>The clause when no filter is set.</summary>
    public const string None = "1 = 1";

    public static string Build(IncidentSearchQuery query, SqlDialect d, DbCommand command)
    {
        var where = new List<string>();
        if (query.From is { } from)
        {
            where.Add("incidents.end_time > @from");
            command.With("from", d.Time(from));
        }

        if (query.To is { } to)
        {
            where.Add("incidents.start_time < @to");
            command.With("to", d.Time(to));
        }

        if (query.CreatedFrom is { } createdFrom)
        {
            where.Add("incidents.created_at >= @created_from");
            command.With("created_from", d.Time(createdFrom));
        }

        if (query.CreatedTo is { } createdTo)
        {
            where.Add("incidents.created_at < @created_to");
            command.With("created_to", d.Time(createdTo));
        }

        if (query.CameraIds.Count > 0)
        {
            where.Add(IncidentSql.AnyCamera(d, "@cameras"));
            command.With("cameras", d.Ids(query.CameraIds.ToArray()));
        }

        if (query.Source is not null)
        {
            where.Add(IncidentSql.CameraOfSource(d, "@source"));
            command.With("source", query.Source);
        }

        if (query.Tags.Count > 0)
        {
            where.Add(IncidentSql.AllTags(d, "@tags"));
            command.With("tags", d.Texts(query.Tags.ToArray()));
        }

        AddIn(where, command, "incidents.severity", "severity", query.Severities.Select(IncidentValues.ToDb).ToArray());
        AddIn(where, command, "incidents.status", "status", query.Statuses.Select(IncidentValues.ToDb).ToArray());

        if (query.CreatedBy is not null)
        {
            where.Add("incidents.created_by = @created_by");
            command.With("created_by", query.CreatedBy);
        }

        if (query.AssignedTo is not null)
        {
            where.Add("incidents.assigned_to = @assigned_to");
            command.With("assigned_to", query.AssignedTo);
        }

        return where.Count == 0 ? None : string.Join(" AND ", where);
    }

    private static void AddIn(List<string> where, DbCommand command, string column, string name, string[] values)
    {
        if (values.Length == 0)
        {
            return;
        }

        var names = new List<string>();
        for (var i = 0; i < values.Length; i++)
        {
            names.Add($"@{name}{i}");
            command.With($"{name}{i}", values[i]);
        }

        where.Add($"{column} IN ({string.Join(", ", names)})");
    }
}
