using Footage.ServiceDefaults.Validation;

namespace Footage.Storage.Cameras;

/// <summary>
/// The camera list's query: <c>q</c> (free text in name, source, id), <c>status</c> (comma-separated states),
/// <c>group</c> (a group id), <c>source</c>, <c>sort</c> (<c>name</c>, <c>status</c>, <c>created_at</c>, <c>updated_at</c>,
/// a leading <c>-</c> for descending), <c>offset</c> and <c>limit</c> (either one asks for a page).
/// </summary>
public sealed record CameraListQuery(string? Text, IReadOnlySet<string>? States, Guid? Group, string? Source, string Sort, bool Descending, int Offset, int? Limit)
{
    public const int MaxLimit = 1000;

    public static readonly IReadOnlyList<string> SortKeys = ["name", "status", "created_at", "updated_at"];

    public bool IsPaged => Limit is not null || Offset > 0;

    public static CameraListQuery? Parse(string? q, string? status, string? group, string? source, string? sort, string? offset, string? limit, ValidationErrors errors)
    {
        var text = string.IsNullOrWhiteSpace(q) ? null : q.Trim();
        if (text is { Length: > 200 } || (text?.Any(char.IsControl) ?? false))
        {
            errors.Add("q", "at most 200 characters, no control characters");
        }

        HashSet<string>? states = null;
        if (!string.IsNullOrWhiteSpace(status))
        {
            states = status.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => s.ToUpperInvariant()).ToHashSet();
            if (states.Count == 0 || states.Any(s => !CameraStates.All.Contains(s)))
            {
                errors.Add("status", $"must be one or more (comma-separated) of {string.Join(", ", CameraStates.All.Select(s => s.ToLowerInvariant()))}");
            }
        }

        var groupId = QueryValues.Id(group, "group", errors);
        var key = string.IsNullOrWhiteSpace(sort) ? "name" : sort.Trim();
        var descending = key.StartsWith('-');
        key = key.TrimStart('-');
        if (!SortKeys.Contains(key))
        {
            errors.Add("sort", $"must be one of {string.Join(", ", SortKeys)}, with a leading - for descending");
        }

        var from = QueryValues.Int(offset, "offset", 0, 0, int.MaxValue, errors);
        int? size = limit is null ? null : QueryValues.Int(limit, "limit", 100, 1, MaxLimit, errors);
        var trimmedSource = string.IsNullOrEmpty(source) ? null : source;
        return errors.IsEmpty ? new CameraListQuery(text, states, groupId, trimmedSource, key, descending, from, size) : null;
    }
}
