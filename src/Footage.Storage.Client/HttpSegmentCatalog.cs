using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Footage.Core.Segments;
using Footage.Core.Time;
using Footage.ServiceDefaults.Json;

namespace Footage.Storage.Client;

/// <summary>
/// The segments catalog of a Storage service that runs elsewhere, through its API
/// (<c>/api/v1/storage/segments</c>). Registration stays idempotent: 201 and 200 are both success, 409 is a conflict.
/// </summary>
public sealed class HttpSegmentCatalog(HttpClient http) : ISegmentCatalog
{
    private static readonly JsonSerializerOptions Json = FootageJson.Create();

    public async Task<SegmentRegistration> RegisterAsync(NewSegment segment, CancellationToken cancellationToken)
    {
        var body = new
        {
            camera_id = segment.CameraId,
            start_time = segment.StartTime,
            end_time = segment.EndTime,
            duration_seconds = (segment.EndTime - segment.StartTime).TotalSeconds,
            size_bytes = segment.SizeBytes,
            storage_backend = segment.StorageBackend,
            storage_path = segment.StoragePath,
            checksum = segment.Checksum,
            thumbnail_path = segment.ThumbnailPath,
            keyframes = segment.Keyframes?.Entries.Select(k => new[] { k.OffsetMilliseconds, k.ByteOffset }).ToArray(),
        };
        using var response = await http.PostAsJsonAsync("api/v1/storage/segments", body, Json, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Conflict)
        {
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Json, cancellationToken);
            var existing = await GetAsync(problem.GetProperty("existing_segment_id").GetGuid(), cancellationToken)
                ?? throw new InvalidOperationException("The conflicting segment disappeared during registration; retry.");
            return new SegmentRegistration(SegmentRegistrationOutcome.Conflict, existing);
        }

        await EnsureSuccessAsync(response, cancellationToken);
        var created = Read(await response.Content.ReadFromJsonAsync<JsonElement>(Json, cancellationToken));
        return new SegmentRegistration(response.StatusCode == HttpStatusCode.Created ? SegmentRegistrationOutcome.Created : SegmentRegistrationOutcome.AlreadyRegistered, created);
    }

    public async Task<QuarantinedSegment> QuarantineAsync(NewSegment segment, Guid? conflictingSegmentId, string reason, CancellationToken cancellationToken)
    {
        var body = new
        {
            camera_id = segment.CameraId,
            start_time = segment.StartTime,
            end_time = segment.EndTime,
            duration_seconds = (segment.EndTime - segment.StartTime).TotalSeconds,
            size_bytes = segment.SizeBytes,
            storage_backend = segment.StorageBackend,
            storage_path = segment.StoragePath,
            checksum = segment.Checksum,
            keyframes = segment.Keyframes?.Entries.Select(k => new[] { k.OffsetMilliseconds, k.ByteOffset }).ToArray(),
            conflicting_segment_id = conflictingSegmentId,
            reason,
        };
        using var response = await http.PostAsJsonAsync("api/v1/storage/segments/quarantine", body, Json, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        var q = await response.Content.ReadFromJsonAsync<JsonElement>(Json, cancellationToken);
        return new QuarantinedSegment(q.GetProperty("id").GetGuid(), q.GetProperty("camera_id").GetGuid(), q.GetProperty("start_time").GetDateTimeOffset(),
            q.GetProperty("end_time").GetDateTimeOffset(), q.GetProperty("size_bytes").GetInt64(), q.GetProperty("storage_backend").GetString()!,
            q.GetProperty("storage_bucket").GetString()!, q.GetProperty("storage_path").GetString()!, q.GetProperty("checksum").GetString()!,
            q.GetProperty("conflicting_segment_id").ValueKind == JsonValueKind.String ? q.GetProperty("conflicting_segment_id").GetGuid() : null,
            q.GetProperty("reason").GetString()!, q.GetProperty("created_at").GetDateTimeOffset());
    }

    public async Task<Segment?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"api/v1/storage/segments/by-id/{id}", cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await EnsureSuccessAsync(response, cancellationToken);
        return Read(await response.Content.ReadFromJsonAsync<JsonElement>(Json, cancellationToken));
    }

    public async Task<SegmentPage> ListAsync(SegmentQuery query, CancellationToken cancellationToken)
    {
        var url = $"api/v1/storage/segments/{query.CameraId}?limit={query.Limit.ToString(CultureInfo.InvariantCulture)}";
        if (query.From is { } from)
        {
            url += "&from=" + Uri.EscapeDataString(Instants.ToIso(from));
        }

        if (query.To is { } to)
        {
            url += "&to=" + Uri.EscapeDataString(Instants.ToIso(to));
        }

        if (query.Cursor is { } cursor)
        {
            url += "&cursor=" + Uri.EscapeDataString(cursor);
        }

        if (query.IncludeKeyframes)
        {
            url += "&include=keyframes";
        }

        using var response = await http.GetAsync(url, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        var page = await response.Content.ReadFromJsonAsync<JsonElement>(Json, cancellationToken);
        var next = page.GetProperty("next_cursor");
        return new SegmentPage(page.GetProperty("items").EnumerateArray().Select(Read).ToArray(), next.ValueKind == JsonValueKind.String ? next.GetString() : null);
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new HttpRequestException($"Storage catalog answered {(int)response.StatusCode}: {text[..Math.Min(text.Length, 500)]}", null, response.StatusCode);
        }
    }

    private static Segment Read(JsonElement s)
    {
        KeyframeIndex? keyframes = null;
        if (s.TryGetProperty("keyframes", out var k) && k.ValueKind == JsonValueKind.Array)
        {
            keyframes = new KeyframeIndex(k.EnumerateArray().Select(p => new Keyframe(p[0].GetInt64(), p[1].GetInt64())).ToArray());
        }

        return new Segment(
            s.GetProperty("id").GetGuid(), s.GetProperty("camera_id").GetGuid(), s.GetProperty("start_time").GetDateTimeOffset(),
            s.GetProperty("end_time").GetDateTimeOffset(), s.GetProperty("duration_seconds").GetInt32(), s.GetProperty("size_bytes").GetInt64(),
            s.GetProperty("storage_backend").GetString()!, s.GetProperty("storage_path").GetString()!,
            s.GetProperty("checksum").ValueKind == JsonValueKind.String ? s.GetProperty("checksum").GetString() : null,
            s.GetProperty("thumbnail_path").ValueKind == JsonValueKind.String ? s.GetProperty("thumbnail_path").GetString() : null,
            s.GetProperty("created_at").GetDateTimeOffset(), keyframes)
        {
            StorageBucket = s.TryGetProperty("storage_bucket", out var bucket) && bucket.ValueKind == JsonValueKind.String ? bucket.GetString()! : Core.Storage.StorageBuckets.Recordings,
        };
    }
}
