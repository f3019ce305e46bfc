using Footage.Core.Time;
using Footage.ServiceDefaults.Validation;

namespace Footage.Metadata.Incidents;

/// <summary>The checks on incident fields, shared by create and update; each error names the field.</summary>
public static class IncidentRules
{
    public const int MaxCameras = 100;
    public const int MaxTags = 50;
    public const int MaxDescription = 10_000;

    public static string? Title(string? value, ValidationErrors errors) => TextRules.Check(value, "title", 255, required: true, errors);

    public static string? Description(string? value, ValidationErrors errors) =>
        TextRules.Check(value, "description", MaxDescription, required: false, errors, multiline: true);

    public static string? AssignedTo(string? value, ValidationErrors errors) => TextRules.Check(value, "assigned_to", 255, required: false, errors);

    public static IncidentSeverity? Severity(string? value, ValidationErrors errors)
    {
        if (IncidentValues.TryParseSeverity(value, out var severity))
        {
            return severity;
        }

        errors.Add("severity", $"must be one of {IncidentValues.Severities}");
        return null;
    }

    public static IncidentStatus? Status(string? value, ValidationErrors errors)
    {
        if (IncidentValues.TryParseStatus(value, out var status))
        {
            return status;
        }

        errors.Add("status", $"must be one of {IncidentValues.Statuses}");
        return null;
    }

    public static IReadOnlyList<Guid>? Cameras(IReadOnlyList<string?>? values, ValidationErrors errors)
    {
        if (values is null || values.Count == 0 || values.Count > MaxCameras)
        {
            errors.Add("camera_ids", $"is required: 1 to {MaxCameras} camera UUIDs");
            return null;
        }

        var ids = new List<Guid>();
        foreach (var value in values)
        {
            if (!Guid.TryParse(value, out var id) || id == Guid.Empty)
            {
                errors.Add("camera_ids", $"'{Shorten(value)}' is not a camera UUID");
                return null;
            }

            ids.Add(id);
        }

        if (ids.Distinct().Count() != ids.Count)
        {
            errors.Add("camera_ids", "must not repeat a camera");
            return null;
        }

        return ids;
    }

    public static DateTimeOffset? Instant(string? value, string field, ValidationErrors errors)
    {
        if (Instants.TryParseIso(value, out var instant))
        {
            return instant;
        }

        errors.Add(field, "is required: an ISO 8601 instant with a time zone, for example 2026-11-24T13:00:00Z");
        return null;
    }

    public static void Range(DateTimeOffset? start, DateTimeOffset? end, ValidationErrors errors)
    {
        if (start is not null && end is not null && end <= start)
        {
            errors.Add("end_time", "must be after start_time");
        }
    }

    public static IReadOnlyList<string>? Tags(IReadOnlyList<string?>? values, ValidationErrors errors)
    {
        if (values is null)
        {
            return [];
        }

        if (values.Count > MaxTags)
        {
            errors.Add("tags", $"at most {MaxTags} tags");
            return null;
        }

        var tags = new List<string>();
        foreach (var value in values)
        {
            var tag = TextRules.Check(value, "tags", 100, required: true, errors);
            if (tag is null)
            {
                return null;
            }

            if (!tags.Contains(tag, StringComparer.Ordinal))
            {
                tags.Add(tag);
            }
        }

        return tags;
    }

    private static string Shorten(string? value) => value is null ? "null" : value.Length > 40 ? value[..40] + "…" : value;
}
