using Footage.Metadata.Search;
using Xunit;

namespace Footage.Metadata.Tests.Unit;

public sealed class HighlightsTests
{
    [Theory]
    [InlineData("a \uE000fire\uE001 b", "a <mark>fire</mark> b")]
    [InlineData("<script>\uE000x\uE001</script>", "&lt;script&gt;<mark>x</mark>&lt;/script&gt;")]
    [InlineData("\uE000unclosed", "<mark>unclosed</mark>")]
    [InlineData("stray\uE001 close & more", "stray close &amp; more")]
    [InlineData("", "")]
    public void Marks_become_tags_and_everything_else_is_escaped(string marked, string html) => Assert.Equal(html, Highlights.ToHtml(marked));

    [Fact]
    public void No_text_is_no_highlight() => Assert.Null(Highlights.ToHtml(null));
}
