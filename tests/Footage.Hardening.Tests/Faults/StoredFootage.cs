using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Xunit;

namespace Footage.Hardening.Tests.Faults;

/// <summary>
/// A camera's segments as the catalog lists them over the HTTP API (for a server running as an OS process), each read back
/// from its content endpoint and checked against its size and SHA-256, and the timeline they make: gaps, overlaps, duplicates.
/// </summary>
public sealed record StoredFootage(IReadOnlyList<StoredFootage.Piece> Segments)
{
    private static readonly TimeSpan Tolerance = TimeSpan.FromMilliseconds(60);

    public sealed record Piece(Guid Id, DateTimeOffset Start, DateTimeOffset End, long Size, string Checksum);

    public static async Task<StoredFootage> ListAsync(HttpClient admin, Guid cameraId)
    {
        var pieces = new List<Piece>();
        string? cursor = null;
        do
        {
            var page = await admin.GetFromJsonAsync<JsonElement>($"api/v1/storage/segments/{cameraId}?limit=1000" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            foreach (var item in page.GetProperty("items").EnumerateArray())
            {
                pieces.Add(new Piece(item.GetProperty("id").GetGuid(), item.GetProperty("start_time").GetDateTimeOffset(), item.GetProperty("end_time").GetDateTimeOffset(),
                    item.GetProperty("size_bytes").GetInt64(), item.GetProperty("checksum").GetString()!));
            }

            cursor = page.TryGetProperty("next_cursor", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        }
        while (cursor is not null);

        return new StoredFootage(pieces.OrderBy(p => p.Start).ToArray());
    }

    /// <summary>Reads every stored segment back through the API and checks its size and SHA-256 against the catalog; returns the bytes.</summary>
    public async Task<long> VerifiedBytesAsync(HttpClient admin)
    {
        long total = 0;
        foreach (var piece in Segments)
        {
            var bytes = await admin.GetByteArrayAsync($"api/v1/storage/segments/by-id/{piece.Id}/content");
            Assert.Equal(piece.Size, bytes.LongLength);
            Assert.Equal(piece.Checksum, Convert.ToHexStringLower(SHA256.HashData(bytes)));
            total += bytes.LongLength;
        }

        return total;
    }

    public int Count => Segments.Count;

    public double StoredSeconds => Segments.Sum(s => (s.End - s.Start).TotalSeconds);

    public double SpanSeconds => Segments.Count == 0 ? 0 : (Segments[^1].End - Segments[0].Start).TotalSeconds;

    /// <summary>Holes between consecutive segments longer than a frame or so.</summary>
    public IReadOnlyList<(DateTimeOffset From, DateTimeOffset To)> Gaps =>
        Segments.Zip(Segments.Skip(1)).Where(p => p.Second.Start - p.First.End > Tolerance).Select(p => (p.First.End, p.Second.Start)).ToArray();

    /// <summary>Segments that begin before the previous one ends (the same footage twice, or two clocks disagreeing).</summary>
    public int Overlaps => Segments.Zip(Segments.Skip(1)).Count(p => p.Second.Start < p.First.End - Tolerance);

    /// <summary>Segments listed more than once at one start, plus overlaps.</summary>
    public int Duplicates => Segments.Count - Segments.Select(s => s.Start).Distinct().Count() + Overlaps;

    public double GapSeconds => Gaps.Sum(g => (g.To - g.From).TotalSeconds);
}
