using Footage.Metadata.Incidents;
using Footage.Metadata.Search.Unified;
using Footage.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Http;

namespace Footage.Metadata.Search;

/// <summary>
/// Reads the search filters from the query string; a list filter may repeat (<c>severity=HIGH&amp;severity=LOW</c>)
/// or list values with commas (tags only repeat: a tag name may hold a comma). Each bad value is a 400 naming it.
/// </summary>
public static class SearchParameters
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;
    public const int MaxOffset = 100_000;
    public const int MaxListValues = 100;

    public static IncidentSearchQuery? Incidents(IQueryCollection q, ValidationErrors errors)
    {
        var text = TextRules.Check(q["q"].ToString(), "q", 1000, required: false, errors);

        var (from, to) = Range(q, "from", "to", errors);
        var (createdFrom, createdTo) = Range(q, "created_from", "created_to", errors);
        var cameras = Cameras(q, errors);
        var source = TextRules.Check(q["source"].ToString(), "source", 100, required: false, errors);
        var tags = Tags(q, errors);
        var severities = new List<IncidentSeverity>();
        foreach (var value in List(q, "severity", errors))
        {
            if (IncidentValues.TryParseSeverity(value, out var s))
            {
                severities.Add(s);
            }
            else
            {
                errors.Add("severity", $"must be one of {IncidentValues.Severities}");
            }
        }

        var statuses = new List<IncidentStatus>();
        foreach (var value in List(q, "status", errors))
        {
            if (IncidentValues.TryParseStatus(value, out var s))
            {
                statuses.Add(s);
            }
            else
            {
                errors.Add("status", $"must be one of {IncidentValues.Statuses}");
            }
        }

        var createdBy = TextRules.Check(q["created_by"].ToString(), "created_by", 255, required: false, errors);
        var assignedTo = TextRules.Check(q["assigned_to"].ToString(), "assigned_to", 255, required: false, errors);
        var limit = QueryValues.Int(q["limit"].ToString(), "limit", DefaultLimit, 1, MaxLimit, errors);
        var offset = QueryValues.Int(q["offset"].ToString(), "offset", 0, 0, MaxOffset, errors);
        return errors.IsEmpty
            ? new IncidentSearchQuery(string.IsNullOrWhiteSpace(text) ? null : text, from, to, createdFrom, createdTo, cameras, source, tags,
                severities.Distinct().ToArray(), statuses.Distinct().ToArray(), createdBy, assignedTo, limit, offset)
            : null;
    }

    /// <summary>The search over every kind: the incident filters plus <c>kind</c> (any of incident, annotation, tag, segment; default all).</summary>
    public static UnifiedSearchQuery? Unified(IQueryCollection q, ValidationErrors errors)
    {
        var kinds = new List<SearchKind>();
        foreach (var value in List(q, "kind", errors))
        {
            if (SearchKinds.TryParse(value, out var kind))
            {
                kinds.Add(kind);
            }
            else
            {
                errors.Add("kind", $"must be one of {SearchKinds.Names}");
            }
        }

        var i = Incidents(q, errors);
        return i is null || !errors.IsEmpty
            ? null
            : new UnifiedSearchQuery(i.Text, kinds.Count == 0 ? SearchKinds.All : kinds.Distinct().ToArray(), i.From, i.To, i.CreatedFrom, i.CreatedTo, i.CameraIds,
                i.Source, i.Tags, i.Severities, i.Statuses, i.CreatedBy, i.AssignedTo, i.Limit, i.Offset);
    }

    public static SegmentSearchQuery? Segments(IQueryCollection q, ValidationErrors errors)
    {
        var (from, to) = Range(q, "from", "to", errors);
        var cameras = Cameras(q, errors);
        var source = TextRules.Check(q["source"].ToString(), "source", 100, required: false, errors);
        var tags = Tags(q, errors);
        var limit = QueryValues.Int(q["limit"].ToString(), "limit", DefaultLimit, 1, MaxLimit, errors);
        var offset = QueryValues.Int(q["offset"].ToString(), "offset", 0, 0, MaxOffset, errors);
        if (!string.IsNullOrEmpty(q["q"].ToString()))
        {
            errors.Add("q", "full-text search applies to incidents; find segments by tag, camera_id, source, from and to");
        }

        return errors.IsEmpty ? new SegmentSearchQuery(cameras, source, tags, from, to, limit, offset) : null;
    }

    private static (DateTimeOffset? From, DateTimeOffset? To) Range(IQueryCollection q, string fromName, string toName, ValidationErrors errors)
    {
        var from = QueryValues.Instant(q[fromName].ToString(), fromName, errors);
        var to = QueryValues.Instant(q[toName].ToString(), toName, errors);
        if (from is not null && to is not null && to <= from)
        {
            errors.Add(toName, $"must be after {fromName}");
        }

        return (from, to);
    }

    private static Guid[] Cameras(IQueryCollection q, ValidationErrors errors)
    {
        var ids = new List<Guid>();
        foreach (var value in List(q, "camera_id", errors))
        {
            if (Guid.TryParse(value, out var id))
            {
                ids.Add(id);
            }
            else
            {
                errors.Add("camera_id", "must be a UUID");
            }
        }

        return ids.Distinct().ToArray();
    }

    private static string[] Tags(IQueryCollection q, ValidationErrors errors)
    {
        var tags = new List<string>();
        foreach (var value in q["tag"])
        {
            if (TextRules.Check(value, "tag", 100, required: true, errors) is { } tag)
            {
                tags.Add(tag);
            }
        }

        if (tags.Count > MaxListValues)
        {
            errors.Add("tag", $"at most {MaxListValues} values");
        }

        return tags.Distinct(StringComparer.Ordinal).ToArray();
    }

    private static string[] List(IQueryCollection q, string name, ValidationErrors errors)
    {
        var values = q[name].SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();
        if (values.Length > MaxListValues)
        {
            errors.Add(name, $"at most {MaxListValues} values");
            return [];
        }

        return values;
    }
}
