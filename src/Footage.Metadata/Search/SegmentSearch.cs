using System.Text;
using Footage.Data;

namespace Footage.Metadata.Search;

/// <summary>Finds segments of the Storage catalog by tags, cameras and time, ordered by start time, camera and id.</summary>
public sealed class SegmentSearch(IDatabase database)
{
    public async Task<(IReadOnlyList<SegmentHit> Items, bool More)> SearchAsync(SegmentSearchQuery query, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var sql = new StringBuilder(
            "SELECT s.id, s.camera_id, s.start_time, s.end_time, s.duration_seconds, s.size_bytes, s.checksum, s.thumbnail_path FROM segments s WHERE 1 = 1");
        if (query.CameraIds.Count > 0)
        {
            var names = query.CameraIds.Select((_, i) => $"@c{i}").ToArray();
            sql.Append($" AND s.camera_id IN ({string.Join(", ", names)})");
            for (var i = 0; i < query.CameraIds.Count; i++)
            {
                command.With($"c{i}", d.Id(query.CameraIds[i]));
            }
        }

        if (query.Source is not null)
        {
            sql.Append(" AND s.camera_id IN (SELECT c.id FROM cameras c WHERE c.source = @source)");
            command.With("source", query.Source);
        }

        for (var i = 0; i < query.Tags.Count; i++)
        {
            sql.Append($" AND EXISTS (SELECT 1 FROM video_tags vt JOIN tags t ON t.id = vt.tag_id WHERE vt.segment_id = s.id AND t.name = @tag{i})");
            command.With($"tag{i}", query.Tags[i]);
        }

        if (query.From is { } from)
        {
            sql.Append(" AND s.end_time > @from");
            command.With("from", d.Time(from));
        }

        if (query.To is { } to)
        {
            sql.Append(" AND s.start_time < @to");
            command.With("to", d.Time(to));
        }

        sql.Append(" ORDER BY s.start_time, s.camera_id, s.id LIMIT @limit OFFSET @offset");
        command.With("limit", query.Limit + 1).With("offset", query.Offset);
        command.CommandText = sql.ToString();

        var hits = new List<SegmentHit>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            hits.Add(new SegmentHit(d.ReadId(reader, 0), d.ReadId(reader, 1), d.ReadTime(reader, 2), d.ReadTime(reader, 3), reader.GetInt32(4),
                reader.GetInt64(5), reader.GetNullableString(6), reader.GetNullableString(7)));
        }

        var more = hits.Count > query.Limit;
        if (more)
        {
            hits.RemoveAt(hits.Count - 1);
        }

        return (hits, more);
    }
}
