using Footage.Core.Live;
using Footage.Playback.Live;
using Xunit;

namespace Footage.Playback.Tests.Unit;

public sealed class LivePartsTests
{
    /// <summary>25 pictures a second, 500 bytes each, a key frame every 25; the file's first picture after 376 bytes of PAT/PMT.</summary>
    private static List<LiveFrame> Frames(int count) =>
        Enumerable.Range(0, count).Select(i => new LiveFrame(i * 40L, 376 + (i * 500L), i % 25 == 0)).ToList();

    [Fact]
    public void The_parts_of_a_chunk_being_written_are_the_first_parts_it_has_once_whole()
    {
        var target = TimeSpan.FromMilliseconds(333);
        var all = Frames(60);
        // the chunk [0 s, 2 s): its end is the key frame at 2 s
        var whole = LiveParts.Cut(all, 0, (all[50].ByteOffset, 2000), target)!;
        Assert.Equal(all[50].ByteOffset, whole.Sum(p => p.Length));
        Assert.All(whole, p => Assert.True(p.Duration <= target, $"a part of {p.Duration}"));
        Assert.True(whole[0].Independent);
        Assert.Contains(whole, p => p.Offset == all[25].ByteOffset && p.Independent);
        Assert.Equal(2000, whole.Sum(p => p.Duration.TotalMilliseconds));

        for (var seen = 1; seen < 50; seen++)
        {
            var growing = LiveParts.Cut(all.Take(seen).ToList(), 0, null, target)!;
            Assert.Equal(whole.Take(growing.Count), growing);
            var end = growing.Count == 0 ? 0 : growing[^1].Offset + growing[^1].Length;
            Assert.True(end <= all[seen - 1].ByteOffset, "a part is listed only once the picture after it has started");
        }
    }

    [Fact]
    public void Pictures_that_are_not_known_give_no_parts()
    {
        Assert.Null(LiveParts.Cut(Frames(10), 12345, null, TimeSpan.FromMilliseconds(333)));
    }
}
