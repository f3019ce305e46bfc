using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using CliWrap;
using CliWrap.Buffered;
using Footage.Testing;
using Xunit;

namespace Footage.Processes.Tests;

/// <summary>What the tests read from the processes: the catalog through Storage's API, Prometheus samples, decoding with ffmpeg.</summary>
internal static class Observe
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    /// <summary>Every segment of the camera in the Storage process's catalog, oldest first.</summary>
    public static async Task<JsonElement[]> SegmentsAsync(FootageProcess storage, Guid camera)
    {
        var all = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var page = await storage.Admin.GetFromJsonAsync<JsonElement>(
                $"api/v1/storage/segments/{camera}?limit=1000" + (cursor is null ? string.Empty : $"&cursor={Uri.EscapeDataString(cursor)}"));
            all.AddRange(page.GetProperty("items").EnumerateArray());
            cursor = page.TryGetProperty("next_cursor", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        }
        while (cursor is not null);
        return all.OrderBy(s => s.GetProperty("start_time").GetDateTimeOffset()).ToArray();
    }

    public static async Task<JsonElement[]> WaitForSegmentsAsync(FootageProcess storage, Guid camera, int count, Func<JsonElement, bool>? which = null,
        params FootageProcess[] suspects)
    {
        var deadline = DateTimeOffset.UtcNow + Patience;
        while (true)
        {
            var segments = await SegmentsAsync(storage, camera);
            if (segments.Count(which ?? (_ => true)) >= count)
            {
                return segments;
            }

            Assert.True(DateTimeOffset.UtcNow < deadline,
                $"camera {camera} has {segments.Count(which ?? (_ => true))} of {count} segments\n{string.Join('\n', suspects.Select(s => s.OutputTail()))}");
            await Task.Delay(300);
        }
    }

    public static async Task UntilAsync(Func<Task<bool>> condition, string what, params FootageProcess[] suspects)
    {
        var deadline = DateTimeOffset.UtcNow + Patience;
        while (!await condition())
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, $"{what}\n{string.Join('\n', suspects.Select(s => s.OutputTail()))}");
            await Task.Delay(250);
        }
    }

    /// <summary>The sum of a metric's samples on the process's <c>/metrics</c> whose labels contain <paramref name="labelText"/>.</summary>
    public static async Task<double> MetricAsync(FootageProcess process, string name, string labelText = "")
    {
        var text = await process.CreateClient().GetStringAsync("metrics");
        return text.Split('\n')
            .Where(l => l.StartsWith(name, StringComparison.Ordinal) && (l.Length > name.Length && (l[name.Length] == ' ' || l[name.Length] == '{')))
            .Where(l => l.Contains(labelText, StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
    }

    /// <summary>Everything ffmpeg reports while decoding the whole input (the API key is sent with the playlist request); empty when clean.</summary>
    public static async Task<string> DecodeErrorsAsync(string url, string apiKey)
    {
        var result = await Cli.Wrap("ffmpeg")
            .WithArguments(["-hide_banner", "-nostdin", "-v", "error", "-headers", $"X-Api-Key: {apiKey}\r\n", "-protocol_whitelist", "http,tcp,file,crypto",
                "-i", url, "-fps_mode", "vfr", "-f", "null", "-"])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();
        return (result.StandardError + (result.ExitCode != 0 ? $" (exit {result.ExitCode})" : string.Empty)).Trim();
    }

    /// <summary>
    /// ffmpeg decodes a snapshot of a live (EVENT) playlist: its relative links made absolute against <paramref name="baseUri"/>
    /// (they are signed, no key needed) and ended, so that ffmpeg reads it once instead of following it.
    /// </summary>
    public static async Task<string> DecodeSnapshotErrorsAsync(string playlist, Uri baseUri, string folder)
    {
        var path = Path.Combine(folder, $"{Guid.NewGuid():N}.m3u8");
        var lines = playlist.Split('\n').Select(l => l.Length > 0 && !l.StartsWith('#') ? new Uri(baseUri, l).ToString() : l);
        await File.WriteAllTextAsync(path, string.Join('\n', lines).TrimEnd() + "\n#EXT-X-ENDLIST\n");
        var result = await Cli.Wrap("ffmpeg")
            .WithArguments(["-hide_banner", "-nostdin", "-v", "error", "-protocol_whitelist", "file,http,tcp,crypto", "-i", path, "-fps_mode", "vfr", "-f", "null", "-"])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();
        return (result.StandardError + (result.ExitCode != 0 ? $" (exit {result.ExitCode})" : string.Empty)).Trim();
    }

    public static string Instant(DateTimeOffset value) => Uri.EscapeDataString(value.ToString("O", CultureInfo.InvariantCulture));
}
