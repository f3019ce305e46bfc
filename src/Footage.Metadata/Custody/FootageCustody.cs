using System.Text.Json.Nodes;
using Footage.Core.Custody;
using Footage.Core.Segments;
using Footage.Core.Time;
using Footage.Data;
using Footage.Metadata.Incidents;

namespace Footage.Metadata.Custody;

/// <summary>
/// Appends a footage action (an export, a download, a tag on a segment) to the custody log of every
/// incident whose cameras and time range it touches, with the SHA-256 of the files concerned and of the
/// recorded segments it covers.
/// </summary>
public sealed class FootageCustody(IDatabase database, IncidentRepository incidents, CustodyLog log) : IFootageCustody
{
    /// <summary>At most this many segment checksums go into one entry; the count is recorded either way.</summary>
    public const int MaxSegmentHashes = 500;

    public async Task RecordAsync(FootageEvent footageEvent, CancellationToken cancellationToken)
    {
        var affected = (await incidents.OverlappingAsync(footageEvent.CameraIds, footageEvent.Range, cancellationToken)).ToList();
        if (footageEvent.Incident is { } named && !affected.Contains(named) && await incidents.GetAsync(named, cancellationToken) is not null)
        {
            affected.Add(named);
        }

        if (affected.Count == 0)
        {
            return;
        }

        var hashes = new JsonObject();
        foreach (var (name, digest) in footageEvent.Hashes)
        {
            hashes[name] = digest;
        }

        var (segments, total) = await SegmentChecksumsAsync(footageEvent.CameraIds, footageEvent.Range, cancellationToken);
        foreach (var incident in affected)
        {
            var details = new JsonObject
            {
                ["subject"] = footageEvent.Subject,
                ["camera_ids"] = new JsonArray(footageEvent.CameraIds.Select(c => (JsonNode)c.ToString("D")).ToArray()),
                ["start_time"] = Instants.ToIso(footageEvent.Range.Start),
                ["end_time"] = Instants.ToIso(footageEvent.Range.End),
                ["hashes"] = hashes.DeepClone(),
                ["segments"] = segments.DeepClone(),
                ["segment_count"] = total,
            };
            foreach (var (name, text) in footageEvent.Notes ?? new Dictionary<string, string>())
            {
                details.TryAdd(name, text);
            }

            await log.AppendAsync(incident, footageEvent.Action, footageEvent.Actor, details, cancellationToken);
        }
    }

    /// <summary>A tag, an annotation: an action on one segment, recorded like any other footage action.</summary>
    public Task RecordSegmentActionAsync(string action, string actor, Segment segment, string subject, CancellationToken cancellationToken) =>
        RecordAsync(new FootageEvent(action, actor, [segment.CameraId], new TimeRange(segment.StartTime, segment.EndTime),
            $"segment {segment.Id:D}: {subject}", new Dictionary<string, string>()), cancellationToken);

    private async Task<(JsonArray Segments, int Total)> SegmentChecksumsAsync(IReadOnlyCollection<Guid> cameras, TimeRange range, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        if (cameras.Count == 0)
        {
            return ([], 0);
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var names = new List<string>();
        var i = 0;
        foreach (var camera in cameras)
        {
            names.Add($"@c{i}");
            command.With($"c{i}", d.Id(camera));
            i++;
        }

        command.CommandText =
            $"""
             SELECT id, checksum FROM segments
             WHERE camera_id IN ({string.Join(", ", names)}) AND start_time < @end AND end_time > @start
             ORDER BY start_time, id
             """;
        command.With("start", d.Time(range.Start)).With("end", d.Time(range.End));
        var list = new JsonArray();
        var total = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            total++;
            if (list.Count < MaxSegmentHashes)
            {
                list.Add(new JsonObject { ["id"] = d.ReadId(reader, 0).ToString("D"), ["sha256"] = reader.GetNullableString(1) });
            }
        }

        return (list, total);
    }
}
