using System.Globalization;
using Footage.Recording.Scanning;
using Footage.Recording.Spool;
using Footage.Testing;
using Xunit;
using static Footage.Recording.Tests.Recording.RecordingHarness;

namespace Footage.Recording.Tests.Recording;

/// <summary>What a dead recorder left in the spool is finished at start-up; what is not footage is never registered.</summary>
public sealed class SpoolRecoveryTests(PostgresServer postgres) : IDisposable
{
    private readonly TempFolder _data = new("recording-recovery");

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task A_closed_segment_without_sidecar_and_a_partial_one_cut_mid_packet_are_stored_continuously_at_start_up()
    {
        var camera = Guid.NewGuid();
        var folder = Path.Combine(_data.Path, "spool", camera.ToString("D"));
        var anchor = new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);
        const string run = "r1763632800000";
        var closed = await TestMedia.MakeTsAsync(Path.Combine(folder, run + "-000000.ts"), 3);
        var partial = await TestMedia.MakeTsAsync(Path.Combine(folder, run + "-000001.ts"), 2);
        var partialBytes = await File.ReadAllBytesAsync(partial);
        await File.WriteAllBytesAsync(partial, partialBytes[..^100]);
        await File.WriteAllTextAsync(Path.Combine(folder, run + ".csv"), run + "-000000.ts,0.000000,3.000000\n");
        await new RunAnchor(anchor).WriteAsync(folder, run, CancellationToken.None);
        var closedBytes = await File.ReadAllBytesAsync(closed);

        await using var server = await FootageServer.StartAsync(DatabaseKind.Sqlite, postgres, FastSettings(new Dictionary<string, string?> { ["Footage:DataDirectory"] = _data.Path }));
        await WaitForSegmentsAsync(server, camera, 2);

        var segments = await SegmentsAsync(server, camera);
        await AssertStoredByteForByteAsync(server, segments);
        Assert.Equal(anchor, segments[0].StartTime);
        Assert.Equal(anchor.AddSeconds(3), segments[0].EndTime);
        Assert.Equal(closedBytes.Length, segments[0].SizeBytes);
        Assert.Equal(segments[0].EndTime, segments[1].StartTime);
        // the partial packet at the end is dropped; the rest of the file is kept
        var whole = (partialBytes.Length - 100) / TsScanner.PacketSize * TsScanner.PacketSize;
        Assert.Equal(whole, segments[1].SizeBytes);
        Assert.InRange((segments[1].EndTime - segments[1].StartTime).TotalSeconds, 1.0, 2.1);
        await WaitForEmptySpoolAsync(server, camera);
        Assert.Empty(Directory.GetFiles(folder));
    }

    [Fact]
    public async Task A_zero_length_or_corrupt_segment_is_reported_and_never_registered()
    {
        var camera = Guid.NewGuid();
        var folder = Path.Combine(_data.Path, "spool", camera.ToString("D"));
        Directory.CreateDirectory(folder);
        var start = new DateTimeOffset(2026, 11, 20, 11, 0, 0, TimeSpan.Zero);
        await File.WriteAllBytesAsync(Path.Combine(folder, "r1-000000.ts"), []);
        await new SpooledSegment(camera, "r1-000000.ts", start, start.AddSeconds(2)).WriteAsync(folder, CancellationToken.None);
        await File.WriteAllBytesAsync(Path.Combine(folder, "r1-000001.ts"), Enumerable.Range(0, 188 * 40).Select(i => (byte)(i * 13)).ToArray());
        await new SpooledSegment(camera, "r1-000001.ts", start.AddSeconds(2), start.AddSeconds(4)).WriteAsync(folder, CancellationToken.None);
        await TestMedia.MakeTsAsync(Path.Combine(folder, "r1-000002.ts"), 2);
        await new SpooledSegment(camera, "r1-000002.ts", start.AddSeconds(4), start.AddSeconds(6)).WriteAsync(folder, CancellationToken.None);

        await using var server = await FootageServer.StartAsync(DatabaseKind.Sqlite, postgres, FastSettings(new Dictionary<string, string?> { ["Footage:DataDirectory"] = _data.Path }));
        await WaitForSegmentsAsync(server, camera, 1);
        await WaitForEmptySpoolAsync(server, camera);

        var segment = Assert.Single(await SegmentsAsync(server, camera));
        Assert.Equal(start.AddSeconds(4), segment.StartTime);
        await AssertStoredByteForByteAsync(server, [segment]);
        var rejected = Path.Combine(_data.Path, "spool", "rejected", camera.ToString("D"));
        Assert.Equal(["r1-000000.ts", "r1-000001.ts"], Directory.GetFiles(rejected).Select(Path.GetFileName).Order());
        var metrics = await server.CreateClient().GetStringAsync("metrics");
        Assert.Contains($"footage_recording_segments_total{{camera_id=\"{camera}\",outcome=\"rejected\"}} 2", metrics, StringComparison.Ordinal);
    }
}
