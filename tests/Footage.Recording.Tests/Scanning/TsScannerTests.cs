using Footage.Recording.Scanning;
using Footage.Testing;
using Xunit;

namespace Footage.Recording.Tests.Scanning;

/// <summary>The key-frame scanner on real MPEG-TS made by ffmpeg (a key frame every 25 frames at 25 fps).</summary>
public sealed class TsScannerTests : IDisposable
{
    private readonly TempFolder _folder = new("ts-scanner");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Finds_one_key_frame_per_second_each_chunk_starting_at_the_PAT_before_it()
    {
        var path = await TestMedia.MakeTsAsync(Path.Combine(_folder.Path, "a.ts"), 4);
        var bytes = await File.ReadAllBytesAsync(path);

        var scan = await TsScanner.ScanAsync(path, TestContext.Current.CancellationToken);

        Assert.True(scan.IsPlayable);
        Assert.Equal(bytes.Length, scan.ValidLength);
        Assert.Equal([0L, 1000L, 2000L, 3000L], scan.Keyframes.Select(k => (long)Math.Round(k.OffsetMilliseconds / 100.0) * 100));
        Assert.Equal(4.0, scan.DurationSeconds, 0.05);
        foreach (var keyframe in scan.Keyframes)
        {
            // a chunk starts on a TS packet whose PID is 0 (the PAT), so a player cut there can decode
            Assert.Equal(0, keyframe.ByteOffset % TsScanner.PacketSize);
            Assert.Equal(0x47, bytes[keyframe.ByteOffset]);
            Assert.Equal(0, ((bytes[keyframe.ByteOffset + 1] & 0x1F) << 8) | bytes[keyframe.ByteOffset + 2]);
        }

        // ffmpeg writes SDT, PAT, PMT before the first picture: the first chunk starts at the PAT, within the first packets
        Assert.InRange(scan.Keyframes[0].ByteOffset, 0, 2 * TsScanner.PacketSize);
    }

    [Fact]
    public async Task The_hash_taken_while_scanning_is_the_files_SHA256_so_the_recorder_reads_each_file_once_for_both()
    {
        var path = await TestMedia.MakeTsAsync(Path.Combine(_folder.Path, "h.ts"), 2);
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);

        var scan = await TsScanner.ScanAsync(path, TestContext.Current.CancellationToken, hash);

        Assert.Equal(new FileInfo(path).Length, scan.ValidLength);
        Assert.Equal(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(path)), hash.GetHashAndReset());
    }

    [Fact]
    public async Task Every_chunk_cut_at_a_key_frame_decodes_on_its_own()
    {
        var path = await TestMedia.MakeTsAsync(Path.Combine(_folder.Path, "b.ts"), 3);
        var bytes = await File.ReadAllBytesAsync(path);
        var scan = await TsScanner.ScanAsync(path, TestContext.Current.CancellationToken);

        var chunk = Path.Combine(_folder.Path, "chunk.ts");
        await File.WriteAllBytesAsync(chunk, bytes[(int)scan.Keyframes[1].ByteOffset..]);
        Assert.Equal(string.Empty, await TestMedia.DecodeErrorsAsync(chunk));
        Assert.Equal(2.0, await TestMedia.ProbeDurationAsync(chunk), 0.1);
    }

    [Fact]
    public async Task A_file_cut_inside_a_packet_is_valid_up_to_its_last_whole_packet()
    {
        var path = await TestMedia.MakeTsAsync(Path.Combine(_folder.Path, "c.ts"), 3);
        var bytes = await File.ReadAllBytesAsync(path);
        var cut = Path.Combine(_folder.Path, "cut.ts");
        var length = (bytes.Length / 2 / TsScanner.PacketSize * TsScanner.PacketSize) + 100;
        await File.WriteAllBytesAsync(cut, bytes[..length]);

        var scan = await TsScanner.ScanAsync(cut, TestContext.Current.CancellationToken);

        Assert.Equal(length - 100, scan.ValidLength);
        Assert.True(scan.IsPlayable);
        Assert.InRange(scan.DurationSeconds, 0.5, 2.0);
    }

    [Fact]
    public async Task An_empty_file_or_one_that_is_not_MPEG_TS_is_not_playable()
    {
        var empty = Path.Combine(_folder.Path, "empty.ts");
        await File.WriteAllBytesAsync(empty, []);
        var garbage = Path.Combine(_folder.Path, "garbage.ts");
        await File.WriteAllBytesAsync(garbage, Enumerable.Range(0, 4096).Select(i => (byte)(i * 7)).ToArray());

        Assert.False((await TsScanner.ScanAsync(empty, TestContext.Current.CancellationToken)).IsPlayable);
        var scan = await TsScanner.ScanAsync(garbage, TestContext.Current.CancellationToken);
        Assert.False(scan.IsPlayable);
        Assert.Equal(0, scan.ValidLength);
    }
}
