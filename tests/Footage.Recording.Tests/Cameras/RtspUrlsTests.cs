using Footage.Core.Cameras;
using Xunit;

namespace Footage.Recording.Tests.Cameras;

/// <summary>The one redactor of camera credentials, for a URL (the cameras API) and for text holding URLs (errors, ffmpeg's output).</summary>
public sealed class RtspUrlsTests
{
    [Theory]
    [InlineData("rtsp://admin:s3cret@10.1.2.3:554/stream1", "rtsp://***@10.1.2.3:554/stream1")]
    [InlineData("RTSPS://admin:s3cret@cam.example/live", "RTSPS://***@cam.example/live")]
    [InlineData("rtsp://10.1.2.3/stream1", "rtsp://10.1.2.3/stream1")]
    [InlineData("http://viewer:pw@vms.example/cam", "http://***@vms.example/cam")]
    [InlineData("admin:s3cret@10.1.2.3/stream1", "***@10.1.2.3/stream1")]
    [InlineData("", "")]
    [InlineData(null, null)]
    public void A_url_keeps_everything_but_its_user_and_password(string? url, string? expected) => Assert.Equal(expected, RtspUrls.Redact(url));

    [Fact]
    public void Every_url_in_a_text_is_masked_and_the_rest_kept()
    {
        const string error = "rtsp://u:p@a.example/1: Connection refused; retried rtsps://x:y@b.example:322/2 (mail ops@example.org)";
        Assert.Equal("rtsp://***@a.example/1: Connection refused; retried rtsps://***@b.example:322/2 (mail ops@example.org)", RtspUrls.Redact(error));
    }
}
