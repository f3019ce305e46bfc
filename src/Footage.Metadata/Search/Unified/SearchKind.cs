namespace Footage.Metadata.Search.Unified;

/// <summary>What a search hit is: an incident, an annotation (a note at an instant), a tag of the catalog, or a segment found through its tags and notes.</summary>
public enum SearchKind
{
    Incident,
    Annotation,
    Tag,
    Segment,
}

/// <summary>The kinds' names on the wire and in the index (<c>search_entries.kind</c>).</summary>
public static class SearchKinds
{
    public static readonly SearchKind[] All = [SearchKind.Incident, SearchKind.Annotation, SearchKind.Tag, SearchKind.Segment];

    public const string Names = "incident, annotation, tag, segment";

    public static string ToName(SearchKind kind) => kind switch
    {
        SearchKind.Incident => "incident",
        SearchKind.Annotation => "annotation",
        SearchKind.Tag => "tag",
        _ => "segment",
    };

    public static bool TryParse(string value, out SearchKind kind)
    {
        foreach (var candidate in All)
        {
            // the plural is accepted too: kind=incidents,notes reads naturally
            var name = ToName(candidate);
            if (string.Equals(value, name, StringComparison.OrdinalIgnoreCase) || string.Equals(value, name + "s", StringComparison.OrdinalIgnoreCase))
            {
                kind = candidate;
                return true;
            }
        }

        kind = default;
        return false;
    }
}
