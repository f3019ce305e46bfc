using Footage.Core.Storage;
using Footage.ServiceDefaults.Http;
using Xunit;

namespace Footage.Storage.Tests.Unit;

public sealed class RangeRequestTests
{
    [Theory]
    [InlineData("bytes=0-99", 1000, 0, 99)]
    [InlineData("bytes=100-", 1000, 100, 999)]
    [InlineData("bytes=-100", 1000, 900, 999)]
    [InlineData("bytes=-5000", 1000, 0, 999)]
    [InlineData("bytes=990-5000", 1000, 990, 999)]
    [InlineData("bytes=0-99999999999999999999999999", 1000, 0, 999)]
    public void A_single_range_is_resolved_against_the_length(string header, long length, long from, long to)
    {
        Assert.Equal(RangeRequest.Kind.Partial, RangeRequest.Resolve(header, length, out var range));
        Assert.Equal(new ByteRange(from, to), range);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("items=0-10")]
    [InlineData("bytes=0-10,20-30")]
    [InlineData("bytes=50-10")]
    [InlineData("bytes=abc-def")]
    [InlineData("bytes=99999999999999999999999-")]
    public void Unusable_headers_mean_the_whole_object(string? header) =>
        Assert.Equal(RangeRequest.Kind.Whole, RangeRequest.Resolve(header, 1000, out _));

    [Theory]
    [InlineData("bytes=1000-")]
    [InlineData("bytes=5000-6000")]
    [InlineData("bytes=-0")]
    public void Ranges_past_the_end_are_unsatisfiable(string header) =>
        Assert.Equal(RangeRequest.Kind.Unsatisfiable, RangeRequest.Resolve(header, 1000, out _));
}
