using Footage.Metadata.Search;
using Footage.Metadata.Search.Unified;
using Xunit;

namespace Footage.Metadata.Tests.Unit;

public sealed class SearchExpressionTests
{
    [Theory]
    [InlineData("K-71", "((('k' <-> '71') | 'k71'))")]
    [InlineData("k71", "(('k71' | ('k' <-> '71')))")]
    [InlineData("K-7*", "((('k' <-> '7':*) | 'k7':*))")]
    [InlineData("\"white van\"", "('white' <-> 'van')")]
    [InlineData("white van", "('white' & 'van')")]
    [InlineData("fire or theft", "('fire') | ('theft')")]
    [InlineData("white -\"white van\"", "('white' & !('white' <-> 'van'))")]
    [InlineData("the station", "('station')")]
    [InlineData("\"van in the car\"", "('van' <-> 'in' <-> 'the' <-> 'car')")]
    public void Compiles_to_the_same_terms_for_PostgreSQL(string text, string tsquery) =>
        Assert.Equal(tsquery, SearchExpression.Parse(text).ToTsQuery());

    [Fact]
    public void A_code_is_searched_in_every_way_it_may_be_written_and_weights_restrict_every_word()
    {
        var term = Assert.Single(Assert.Single(SearchExpression.Parse("AB-123-CD").Alternatives));
        Assert.Equal(["ab 123 cd", "ab123cd"], term.Forms.Select(f => string.Join(' ', f.Words)));
        Assert.Equal("(\"ab 123 cd\" OR \"ab123cd\")", term.ToFts5());
        Assert.Equal("a : (\"ab 123 cd\" OR \"ab123cd\")", term.ToFts5("a"));
        Assert.Equal("(('ab':A <-> '123':A <-> 'cd':A) | 'ab123cd':A)", term.ToTsQuery("A"));
        Assert.Equal("b : (\"k 7\" * OR \"k7\" *)", SearchExpression.Parse("K-7*").Alternatives[0][0].ToFts5("b"));
        Assert.Equal("c : (\"van\")", SearchExpression.Parse("van").Alternatives[0][0].ToFts5("c"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("the")]
    [InlineData("\"\"")]
    [InlineData("- or")]
    [InlineData("!!! ???")]
    public void Nothing_searchable_is_empty(string text) => Assert.True(SearchExpression.Parse(text).IsEmpty);

    [Fact]
    public void User_syntax_never_reaches_either_database()
    {
        var expression = SearchExpression.Parse("a' | b:* & !c \"d NEAR(e)\" {a}: f");
        Assert.Matches("^[()|&! ]*('[a-z0-9]+'(:\\*)?[()|&! <>-]*)+$", expression.ToTsQuery());
        foreach (var form in expression.Alternatives.SelectMany(a => a).SelectMany(t => t.Forms).SelectMany(f => f.Words))
        {
            Assert.True(form.All(char.IsLetterOrDigit), form);
        }
    }

    [Fact]
    public void Marks_set_on_the_indexed_text_are_moved_back_onto_the_text_as_written()
    {
        var marked = $"white van partial plate {Highlights.Open}K{Highlights.Close} {Highlights.Open}71{Highlights.Close} near";
        Assert.Equal($"white van, partial plate {Highlights.Open}K{Highlights.Close}-{Highlights.Open}71{Highlights.Close}, near",
            Snippets.Transfer("white van, partial plate K-71, near", marked));
        Assert.Equal("white van, partial plate <mark>K-71</mark>, near", Snippets.Choose(null, Snippets.Transfer("white van, partial plate K-71, near", marked)));
        Assert.Equal("&lt;b&gt; <mark>x</mark>", Snippets.Choose($"<b> {Highlights.Open}x{Highlights.Close}"));
    }

    [Fact]
    public void A_long_text_is_cut_around_its_first_match()
    {
        var words = string.Join(' ', Enumerable.Range(0, 200).Select(i => $"w{i}"));
        var marked = words.Replace("w100 ", $"{Highlights.Open}w100{Highlights.Close} ", StringComparison.Ordinal);
        var html = Snippets.Choose(marked)!;
        Assert.StartsWith("…", html);
        Assert.EndsWith("…", html);
        Assert.Contains("<mark>w100</mark>", html);
        Assert.True(html.Length < 300, html);
    }
}
