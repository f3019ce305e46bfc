using System.Net;
using System.Text;
using Footage.Core.Storage;
using Footage.Playback.Live;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Footage.Playback.Tests;

/// <summary>
/// Which recorder the HTTP live source asks (unit test, with a fake network): the lease holder the configured URL names,
/// kept for a few seconds, looked up again when it fails; the configured URL when nobody holds the camera.
/// </summary>
public sealed class HttpLiveSegmentSourceTests : IDisposable
{
    private static readonly Guid Camera = Guid.Parse("0b0e1f9a-4a34-4a7e-9a4e-6a1f1c2d3e4f");
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-11-24T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly FakeRecorders _network = new();

    private HttpLiveSegmentSource Source() =>
        new(new HttpClient(_network, disposeHandler: false) { BaseAddress = new Uri("http://gateway/") }, NullLogger<HttpLiveSegmentSource>.Instance, _clock);

    public void Dispose() => _network.Dispose();

    [Fact]
    public async Task Lists_from_the_holder_and_keeps_it_for_a_few_seconds()
    {
        _network.Holder = "http://rec-2:8080";
        var source = Source();

        Assert.Equal("from rec-2", Assert.Single(await source.ListAsync(Camera, CancellationToken.None)).File);
        _network.Holder = "http://rec-3:8080";
        Assert.Equal("from rec-2", Assert.Single(await source.ListAsync(Camera, CancellationToken.None)).File);
        Assert.Equal(1, _network.Lookups);

        _clock.Advance(HttpLiveSegmentSource.HolderTtl + TimeSpan.FromSeconds(1));
        Assert.Equal("from rec-3", Assert.Single(await source.ListAsync(Camera, CancellationToken.None)).File);
        Assert.Equal(2, _network.Lookups);
    }

    [Fact]
    public async Task A_failing_holder_is_looked_up_again_at_once()
    {
        _network.Holder = "http://rec-2:8080";
        var source = Source();
        await source.ListAsync(Camera, CancellationToken.None);

        _network.Down.Add("rec-2");
        _network.Holder = "http://rec-3:8080";
        Assert.Equal("from rec-3", Assert.Single(await source.ListAsync(Camera, CancellationToken.None)).File);
        var range = await source.OpenReadAsync(Camera, "from rec-3", new ByteRange(0, 4), CancellationToken.None);
        Assert.Equal("rec-3", Encoding.ASCII.GetString(Assert.IsType<MemoryStream>(range).ToArray()));
    }

    [Fact]
    public async Task A_camera_nobody_holds_is_asked_of_the_configured_url_and_an_unreachable_one_gives_nothing()
    {
        _network.Holder = null;
        Assert.Equal("from gateway", Assert.Single(await Source().ListAsync(Camera, CancellationToken.None)).File);

        _network.Down.Add("gateway");
        Assert.Empty(await Source().ListAsync(Camera, CancellationToken.None));
    }

    /// <summary>The gateway names the holder; every recorder answers the live list with one file named after itself.</summary>
    private sealed class FakeRecorders : HttpMessageHandler
    {
        public string? Holder { get; set; }

        public HashSet<string> Down { get; } = [];

        public int Lookups { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var uri = request.RequestUri!;
            if (Down.Contains(uri.Host))
            {
                throw new HttpRequestException($"{uri.Host} is down");
            }

            if (uri.AbsolutePath.EndsWith("/recorder", StringComparison.Ordinal))
            {
                Lookups++;
                return Task.FromResult(Holder is null
                    ? new HttpResponseMessage(HttpStatusCode.NotFound)
                    : Json($$"""{"camera_id":"{{Camera}}","recorder_id":"x","recorder_url":"{{Holder}}"}"""));
            }

            if (uri.AbsolutePath.EndsWith("/live", StringComparison.Ordinal))
            {
                return Task.FromResult(Json($$"""
                    {"camera_id":"{{Camera}}","segments":[{"file":"from {{uri.Host}}","start_time":"2026-11-24T11:59:50Z","end_time":"2026-11-24T11:59:52Z",
                    "size_bytes":4,"open":true,"keyframes":[[0,0]]}]}
                    """));
            }

            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.PartialContent) { Content = new ByteArrayContent(Encoding.ASCII.GetBytes(uri.Host)) });
        }

        private static HttpResponseMessage Json(string body) =>
            new(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
    }
}
