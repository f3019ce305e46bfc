using System.Globalization;
using Footage.Core.Time;

namespace Footage.ServiceDefaults.Validation;

/// <summary>
/// Parses query-string values by hand so that a bad value is a 400 naming the parameter, not a bare 400
/// from the binder.
/// </summary>
public static class QueryValues
{
    public static DateTimeOffset? Instant(string? text, string name, ValidationErrors errors)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (Instants.TryParseIso(text, out var value))
        {
            return value;
        }

        errors.Add(name, "must be an ISO 8601 instant with a time zone from 1970 to 9998, for example 2026-11-24T13:00:00Z");
        return null;
    }

    public static int Int(string? text, string name, int defaultValue, int min, int max, ValidationErrors errors)
    {
        if (string.IsNullOrEmpty(text))
        {
            return defaultValue;
        }

        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        errors.Add(name, $"must be an integer from {min} to {max}");
        return defaultValue;
    }

    public static Guid? Id(string? text, string name, ValidationErrors errors)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (Guid.TryParse(text, out var id))
        {
            return id;
        }

        errors.Add(name, "must be a UUID");
        return null;
    }
}
