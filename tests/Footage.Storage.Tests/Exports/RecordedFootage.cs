using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Footage.Storage.Tests.Backends;
using Footage.Testing;
using Xunit;

namespace Footage.Storage.Tests.Exports;

/// <summary>Real H.264 MPEG-TS segments (made once per test run) stored and registered as a recorder would.</summary>
public static class RecordedFootage
{
    public const int SegmentSeconds = 4;

    private static readonly Lazy<Task<byte[]>> Segment = new(() => MakeAsync("testsrc2"));
    private static readonly Lazy<Task<byte[]>> Other = new(() => MakeAsync("smptebars"));

    /// <summary>A 4 s segment of the test pattern.</summary>
    public static Task<byte[]> SegmentAsync() => Segment.Value;

    /// <summary>A different 4 s segment (to tamper with stored footage).</summary>
    public static Task<byte[]> OtherSegmentAsync() => Other.Value;

    /// <summary>Stores and registers <paramref name="count"/> consecutive 4 s segments from <paramref name="start"/>; returns them in order.</summary>
    /// <param name="keyframes">Register each segment with its key-frame index, as the recorder does.</param>
    public static async Task<IReadOnlyList<JsonElement>> RecordAsync(FootageServer server, Guid camera, DateTimeOffset start, int count = 3, bool keyframes = false)
    {
        var content = await SegmentAsync();
        long[][]? index = null;
        if (keyframes)
        {
            using var folder = new TempFolder("footage-media");
            var path = Path.Combine(folder.Path, "segment.ts");
            await File.WriteAllBytesAsync(path, content);
            index = await TestMedia.KeyframesAsync(path);
        }

        var segments = new List<JsonElement>();
        for (var i = 0; i < count; i++)
        {
            var from = start.AddSeconds(i * SegmentSeconds);
            segments.Add(await StoredSegments.StoreAndRegisterAsync(server, camera, from, from.AddSeconds(SegmentSeconds), content, keyframes: index));
        }

        return segments;
    }

    /// <summary>Polls the export until it leaves PENDING/PROCESSING (at most a minute) and returns it.</summary>
    public static async Task<JsonElement> WaitUntilFinishedAsync(HttpClient client, Guid exportId)
    {
        var deadline = TimeProvider.System.GetUtcNow() + TimeSpan.FromSeconds(60);
        while (true)
        {
            var export = await (await client.GetAsync($"api/v1/storage/exports/{exportId}")).AssertJsonAsync(HttpStatusCode.OK);
            var status = export.GetProperty("status").GetString();
            if (status is not ("PENDING" or "PROCESSING"))
            {
                return export;
            }

            Assert.True(TimeProvider.System.GetUtcNow() < deadline, $"export {exportId} still {status} after 60 s");
            await Task.Delay(200);
        }
    }

    public static async Task<Guid> CreateExportAsync(HttpClient client, object body)
    {
        var created = await (await client.PostAsJsonAsync("api/v1/storage/exports", body)).AssertJsonAsync(HttpStatusCode.Accepted);
        return created.GetProperty("id").GetGuid();
    }

    private static async Task<byte[]> MakeAsync(string pattern)
    {
        using var folder = new TempFolder("footage-media");
        var path = await TestMedia.MakeTsAsync(Path.Combine(folder.Path, "segment.ts"), SegmentSeconds, pattern);
        return await File.ReadAllBytesAsync(path);
    }
}
