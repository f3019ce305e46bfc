using System.Net;

namespace Footage.Metadata.Search;

/// <summary>
/// The databases mark matches with two private-use characters; here the text between them is
/// HTML-escaped and the marks become <c>&lt;mark&gt;</c> tags, so a snippet is safe to put in a page as is.
/// </summary>
public static class Highlights
{
    public const string Open = "\uE000";
    public const string Close = "\uE001";

    public static string? ToHtml(string? marked)
    {
        if (marked is null)
        {
            return null;
        }

        var html = new System.Text.StringBuilder(marked.Length + 16);
        var inside = false;
        var start = 0;
        for (var i = 0; i <= marked.Length; i++)
        {
            if (i < marked.Length && marked[i] != Open[0] && marked[i] != Close[0])
            {
                continue;
            }

            html.Append(WebUtility.HtmlEncode(marked[start..i]));
            if (i < marked.Length)
            {
                var opening = marked[i] == Open[0];
                if (opening && !inside)
                {
                    html.Append("<mark>");
                    inside = true;
                }
                else if (!opening && inside)
                {
                    html.Append("</mark>");
                    inside = false;
                }
            }

            start = i + 1;
        }

        if (inside)
        {
            html.Append("</mark>");
        }

        return html.ToString();
    }
}
