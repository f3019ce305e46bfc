using Footage.Metadata.Search;
using Xunit;

namespace Footage.Metadata.Tests.Unit;

/// <summary>The parser that turns websearch syntax into terms SQLite runs as FTS5 phrases.</summary>
public sealed class WebSearchQueryTests
{
    private static string Render(string text) =>
        string.Join(" | ", WebSearchQuery.Parse(text).Alternatives.Select(a => string.Join(" & ", a.Select(t => (t.Negated ? "!" : "") + t.ToFts5()))));

    [Theory]
    [InlineData("fire", "\"fire\"")]
    [InlineData("Fire  SMOKE", "\"fire\" & \"smoke\"")]
    [InlineData("\"loading bay\" fire", "\"loading bay\" & \"fire\"")]
    [InlineData("fire or theft", "\"fire\" | \"theft\"")]
    [InlineData("a fire OR the theft -car", "\"fire\" | \"theft\" & !\"car\"")]
    [InlineData("-\"car park\"", "!\"car park\"")]
    [InlineData("or fire or", "\"fire\"")]
    [InlineData("the and of", "")]
    [InlineData("", "")]
    [InlineData("!!! ---", "")]
    [InlineData("\"unclosed phrase", "\"unclosed phrase\"")]
    [InlineData("title:fire NEAR(a b) *", "\"title fire\" & \"near\" & \"b\"")]
    [InlineData("x\"); DROP TABLE incidents; --", "\"x\" & \"drop table incidents\"")]
    public void Parses_like_websearch_to_tsquery_and_emits_only_quoted_words(string text, string expected) =>
        Assert.Equal(expected, Render(text));

    [Fact]
    public void An_fts5_term_never_carries_a_quote_or_operator_from_the_user()
    {
        var query = WebSearchQuery.Parse("\"a\"\"b\" c* ^d e:f (g) {h} NOT i AND j");
        foreach (var term in query.Alternatives.SelectMany(a => a))
        {
            var inner = term.ToFts5()[1..^1];
            Assert.All(inner, c => Assert.True(char.IsLetterOrDigit(c) || c == ' ', $"'{c}' in {term.ToFts5()}"));
        }
    }
}
