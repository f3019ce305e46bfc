namespace Footage.Metadata.Search;

/// <summary>
/// The shape of PostgreSQL's <c>websearch_to_tsquery</c> syntax, shared by the searches that read it: terms separated by
/// spaces, <c>"a quoted phrase"</c> (a <c>*</c> right after the closing quote kept with it), <c>-</c> before a term to exclude
/// it, <c>or</c> between alternatives. What a term means (its words, stop words, prefixes) is the caller's.
/// </summary>
public static class WebSearchSyntax
{
    /// <summary>
    /// The alternatives of the text, each a list of the terms <paramref name="term"/> made of its pieces (null: nothing
    /// searchable, left out, as an <c>or</c> with nothing before it), at most <paramref name="maximumTerms"/> in all.
    /// </summary>
    public static List<List<T>> Parse<T>(string text, Func<string, bool, bool, T?> term, int maximumTerms = int.MaxValue)
        where T : class
    {
        var alternatives = new List<List<T>>();
        var current = new List<T>();
        var pendingOr = false;
        var count = 0;
        var i = 0;
        while (i < text.Length && count < maximumTerms)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            var negated = false;
            if (c == '-' && i + 1 < text.Length && !char.IsWhiteSpace(text[i + 1]))
            {
                negated = true;
                i++;
                c = text[i];
            }

            string raw;
            var quoted = c == '"';
            if (quoted)
            {
                var close = text.IndexOf('"', i + 1);
                raw = close < 0 ? text[(i + 1)..] : text[(i + 1)..close];
                i = close < 0 ? text.Length : close + 1;
                if (i < text.Length && text[i] == '*')
                {
                    raw += "*";
                    i++;
                }
            }
            else
            {
                var start = i;
                while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] != '"')
                {
                    i++;
                }

                raw = text[start..i];
            }

            if (!quoted && !negated && raw.Equals("or", StringComparison.OrdinalIgnoreCase))
            {
                pendingOr = current.Count > 0;
                continue;
            }

            if (term(raw, quoted, negated) is not { } made)
            {
                continue;
            }

            if (pendingOr)
            {
                alternatives.Add(current);
                current = [];
                pendingOr = false;
            }

            current.Add(made);
            count++;
        }

        if (current.Count > 0)
        {
            alternatives.Add(current);
        }

        return alternatives;
    }
}
