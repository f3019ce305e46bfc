using Footage.Playback.Renditions;
using Footage.Testing;
using Xunit;

namespace Footage.Playback.Tests.Unit;

/// <summary>The CODECS of a master playlist come from the recorded file's first bytes: H.264 and H.265 made by ffmpeg.</summary>
public sealed class CodecProbeTests : IDisposable
{
    private readonly TempFolder _folder = new("footage-codecs");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task H264_gives_its_profile_and_level_and_H265_an_hvc1_string_a_browser_can_check()
    {
        var avc = await File.ReadAllBytesAsync(await TestMedia.MakeTsAsync(Path.Combine(_folder.Path, "avc.ts"), 1));
        var hevc = await File.ReadAllBytesAsync(await TestMedia.MakeTsAsync(Path.Combine(_folder.Path, "hevc.ts"), 1, hevc: true));

        var h264 = CodecProbe.Probe(avc);
        Assert.NotNull(h264);
        Assert.False(h264.Hevc);
        Assert.Matches("^avc1\\.[0-9a-f]{6}$", h264.Video);
        Assert.Equal("avc1.42c00c", h264.Video); // libx264's ultrafast preset: Constrained Baseline, level 1.2 for 320x180 at 25 fps

        var h265 = CodecProbe.Probe(hevc);
        Assert.NotNull(h265);
        Assert.True(h265.Hevc);
        Assert.Matches("^hvc1\\.1\\.6\\.L[0-9]+(\\.[0-9a-f]{2})*$", h265.Video); // Main profile
        Assert.Null(CodecProbe.Probe(new byte[188 * 4]));
    }
}
