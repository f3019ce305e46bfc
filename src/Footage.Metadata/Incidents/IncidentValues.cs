namespace Footage.Metadata.Incidents;

/// <summary>How severity and status are written in the database and parsed from requests.</summary>
public static class IncidentValues
{
    public static string ToDb(IncidentSeverity severity) => severity.ToString().ToUpperInvariant();

    public static string ToDb(IncidentStatus status) => status.ToString().ToUpperInvariant();

    public static bool TryParseSeverity(string? text, out IncidentSeverity severity)
    {
        severity = default;
        var upper = text?.Trim().ToUpperInvariant();
        foreach (var candidate in Enum.GetValues<IncidentSeverity>())
        {
            if (ToDb(candidate) == upper)
            {
                severity = candidate;
                return true;
            }
        }

        return false;
    }

    public static bool TryParseStatus(string? text, out IncidentStatus status)
    {
        status = default;
        var upper = text?.Trim().ToUpperInvariant();
        foreach (var candidate in Enum.GetValues<IncidentStatus>())
        {
            if (ToDb(candidate) == upper)
            {
                status = candidate;
                return true;
            }
        }

        return false;
    }

    public static IncidentSeverity ParseSeverity(string text) =>
        TryParseSeverity(text, out var s) ? s : throw new FormatException($"Unknown severity '{text}' in the database.");

    public static IncidentStatus ParseStatus(string text) =>
        TryParseStatus(text, out var s) ? s : throw new FormatException($"Unknown status '{text}' in the database.");

    public const string Severities = "LOW, MEDIUM, HIGH, CRITICAL";

    public const string Statuses = "OPEN, INVESTIGATING, CLOSED";
}
