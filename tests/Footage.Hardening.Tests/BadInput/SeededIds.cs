namespace Footage.Hardening.Tests.BadInput;

/// <summary>
/// Ids of real rows the fixture made, by kind, so that generated requests also reach the code behind the
/// "not found" check; and the time span of the stored footage, so that generated ranges are sometimes near it.
/// </summary>
public sealed class SeededIds
{
    private readonly Dictionary<string, List<string>> _byKind = new(StringComparer.Ordinal);

    public DateTimeOffset FootageStart { get; set; }

    public DateTimeOffset FootageEnd { get; set; }

    public void Add(string kind, string id)
    {
        if (!_byKind.TryGetValue(kind, out var list))
        {
            _byKind[kind] = list = [];
        }

        list.Add(id);
    }

    public string First(string kind) => _byKind[kind][0];

    public IReadOnlyList<string> All => _byKind.Values.SelectMany(v => v).ToArray();

    /// <summary>
    /// The ids that fit a path parameter: <c>camera_id</c> takes cameras, <c>tag_id</c> tags, and <c>id</c> the kind
    /// named by the path segment before it (<c>/tags/{id}</c>, <c>/segments/by-id/{id}</c>).
    /// </summary>
    public IReadOnlyList<string> For(string pathTemplate, string parameter)
    {
        var kind = parameter switch
        {
            "camera_id" => "camera",
            "tag_id" => "tag",
            "segment_id" => "segment",
            _ => KindBefore(pathTemplate, parameter),
        };
        return kind is not null && _byKind.TryGetValue(kind, out var ids) ? ids : All;
    }

    private static string? KindBefore(string pathTemplate, string parameter)
    {
        var parts = pathTemplate.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var at = Array.IndexOf(parts, "{" + parameter + "}");
        for (var i = at - 1; i >= 0; i--)
        {
            var kind = parts[i] switch
            {
                "cameras" => "camera",
                "segments" => "segment",
                "tags" => "tag",
                "incidents" => "incident",
                "annotations" => "annotation",
                "exports" => "export",
                "clips" => "clip",
                "keys" => "key",
                "thumbnails" => "thumbnail",
                _ => null,
            };
            if (kind is not null)
            {
                return kind;
            }
        }

        return null;
    }
}
