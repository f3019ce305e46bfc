using System.Text;
using System.Text.RegularExpressions;

namespace Footage.Metadata.Search.Unified;

/// <summary>
/// Snippets from text whose matched words are marked with <see cref="Highlights.Open"/> and <see cref="Highlights.Close"/>:
/// moving the marks PostgreSQL set on the text it indexed (punctuation made spaces) back onto the text as written, and
/// cutting a long text to a window around its first match. The same on both databases.
/// </summary>
public static partial class Snippets
{
    public const int Before = 60;
    public const int After = 180;

    /// <summary>
    /// The original text with the marks of <paramref name="markedIndexedText"/>, word for word: both are the same runs
    /// of letters and digits, only what lies between them differs.
    /// </summary>
    public static string Transfer(string original, string markedIndexedText)
    {
        var marked = new List<bool>();
        var inside = false;
        var inWord = false;
        foreach (var c in markedIndexedText)
        {
            if (c == Highlights.Open[0] || c == Highlights.Close[0])
            {
                inside = c == Highlights.Open[0];
                inWord = false;
                continue;
            }

            var letter = char.IsLetterOrDigit(c);
            if (letter && !inWord)
            {
                marked.Add(inside);
            }

            inWord = letter;
        }

        var result = new StringBuilder(original.Length + 16);
        var word = -1;
        for (var i = 0; i < original.Length; i++)
        {
            var letter = char.IsLetterOrDigit(original[i]);
            var starts = letter && (i == 0 || !char.IsLetterOrDigit(original[i - 1]));
            if (starts)
            {
                word++;
                if (word >= marked.Count)
                {
                    return markedIndexedText;
                }
            }

            if (starts && marked[word])
            {
                result.Append(Highlights.Open[0]);
            }

            result.Append(original[i]);
            var ends = letter && (i + 1 == original.Length || !char.IsLetterOrDigit(original[i + 1]));
            if (ends && marked[word])
            {
                result.Append(Highlights.Close[0]);
            }
        }

        return word + 1 == marked.Count ? result.ToString() : markedIndexedText;
    }

    /// <summary>The first field with a match (else the first that is not empty), cut around its first match, as HTML.</summary>
    public static string? Choose(params string?[] markedFields)
    {
        var field = markedFields.FirstOrDefault(f => f is not null && f.Contains(Highlights.Open[0]))
            ?? markedFields.FirstOrDefault(f => !string.IsNullOrWhiteSpace(f));
        return field is null ? null : Highlights.ToHtml(Window(Adjacent().Replace(field, "$1")));
    }

    /// <summary>Marked words with only spaces or punctuation between them, as FTS5 marks a phrase: one mark over both.</summary>
    [GeneratedRegex("\uE001([^\\p{L}\\p{Nd}\uE000\uE001]{0,5})\uE000")]
    private static partial Regex Adjacent();

    /// <summary>About <see cref="Before"/> characters before the first match and <see cref="After"/> after it, cut at spaces, with … where cut.</summary>
    public static string Window(string marked)
    {
        var first = Math.Max(0, marked.IndexOf(Highlights.Open[0], StringComparison.Ordinal));
        var start = first <= Before ? 0 : marked.LastIndexOf(' ', first - 1, Before) + 1;
        if (start == 0 && first > Before)
        {
            start = first - Before;
        }

        var end = Math.Min(marked.Length, first + After);
        if (end < marked.Length)
        {
            var space = marked.IndexOf(' ', end);
            end = space < 0 || space - end > 40 ? end : space;
        }

        return (start > 0 ? "…" : "") + marked[start..end].Trim() + (end < marked.Length ? "…" : "");
    }
}
