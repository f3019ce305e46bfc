using System.Security.Cryptography;
using Footage.Recording.Scanning;
using Footage.Testing;
using Xunit;

namespace Footage.Recording.Tests.Scanning;

/// <summary>
/// The scan the recorder keeps while ffmpeg writes a segment: fed the file in pieces of any size (packets cut in two
/// included), it must end with exactly the index and SHA-256 of a scan of the finished file, which the uploader
/// registers without reading the file again.
/// </summary>
public sealed class GrowingScanTests : IDisposable
{
    private readonly TempFolder _folder = new("growing-scan");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Followed_in_pieces_it_ends_with_the_index_and_checksum_of_the_whole_file()
    {
        var ct = TestContext.Current.CancellationToken;
        var source = await TestMedia.MakeTsAsync(Path.Combine(_folder.Path, "source.ts"), 4);
        var bytes = await File.ReadAllBytesAsync(source);
        var whole = await TsScanner.ScanAsync(source, ct);
        var growing = Path.Combine(_folder.Path, "growing.ts");
        using var scan = new GrowingScan(growing);

        await using (var writer = new FileStream(growing, FileMode.CreateNew, FileAccess.Write, FileShare.ReadWrite))
        {
            var random = new Random(7);
            for (var at = 0; at < bytes.Length;)
            {
                // pieces that end mid-packet as often as not, like ffmpeg's buffered writes
                var piece = Math.Min(bytes.Length - at, random.Next(1, 40_000));
                await writer.WriteAsync(bytes.AsMemory(at, piece), ct);
                await writer.FlushAsync(ct);
                at += piece;
                await scan.CatchUpAsync(ct);
            }
        }

        var (result, sha256) = await scan.FinishAsync(ct);

        Assert.Equal(bytes.Length, result.ValidLength);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), sha256);
        Assert.Equal(whole.Keyframes, result.Keyframes);
        Assert.Equal(whole.DurationSeconds, result.DurationSeconds);
        Assert.Equal(whole.VideoPid, result.VideoPid);
    }

    [Fact]
    public async Task A_packet_cut_short_at_the_end_is_left_out_of_the_length_and_the_checksum()
    {
        var ct = TestContext.Current.CancellationToken;
        var bytes = await File.ReadAllBytesAsync(await TestMedia.MakeTsAsync(Path.Combine(_folder.Path, "source.ts"), 2));
        var cut = Path.Combine(_folder.Path, "cut.ts");
        await File.WriteAllBytesAsync(cut, bytes[..^100], ct);
        using var scan = new GrowingScan(cut);

        var (result, sha256) = await scan.FinishAsync(ct);

        var wholePackets = (bytes.Length - 100) / TsScanner.PacketSize * TsScanner.PacketSize;
        Assert.Equal(wholePackets, result.ValidLength);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes.AsSpan(0, wholePackets))), sha256);
    }

    [Fact]
    public async Task At_a_packet_that_is_not_TS_it_stops_and_its_checksum_covers_only_the_packets_before()
    {
        var ct = TestContext.Current.CancellationToken;
        var bytes = await File.ReadAllBytesAsync(await TestMedia.MakeTsAsync(Path.Combine(_folder.Path, "source.ts"), 2));
        var bad = 40 * TsScanner.PacketSize;
        bytes[bad] = 0x00;
        var corrupt = Path.Combine(_folder.Path, "corrupt.ts");
        await File.WriteAllBytesAsync(corrupt, bytes, ct);
        using var scan = new GrowingScan(corrupt);

        var (result, sha256) = await scan.FinishAsync(ct);
        var (again, shaAgain) = await scan.FinishAsync(ct);

        Assert.Equal(bad, result.ValidLength);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes.AsSpan(0, bad))), sha256);
        Assert.Equal((bad, sha256), (again.ValidLength, shaAgain));
        Assert.Equal((await TsScanner.ScanAsync(corrupt, ct)).ValidLength, result.ValidLength);
    }

    [Fact]
    public async Task A_file_found_shorter_than_what_was_read_is_a_new_file_and_is_read_from_its_start()
    {
        var ct = TestContext.Current.CancellationToken;
        var bytes = await File.ReadAllBytesAsync(await TestMedia.MakeTsAsync(Path.Combine(_folder.Path, "source.ts"), 2));
        var path = Path.Combine(_folder.Path, "replaced.ts");
        await File.WriteAllBytesAsync(path, bytes, ct);
        using var scan = new GrowingScan(path);
        await scan.CatchUpAsync(ct);

        var shorter = bytes[..(bytes.Length / 2 / TsScanner.PacketSize * TsScanner.PacketSize)];
        await File.WriteAllBytesAsync(path, shorter, ct);
        var (result, sha256) = await scan.FinishAsync(ct);

        Assert.Equal(shorter.Length, result.ValidLength);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(shorter)), sha256);
        Assert.Equal((await TsScanner.ScanAsync(path, ct)).Keyframes, result.Keyframes);
    }
}
