using System.Data.Common;
using System.Text;
using Footage.Data;

namespace Footage.Metadata.Annotations;

/// <summary>Annotations on PostgreSQL or SQLite, read in time order for the playback timeline.</summary>
public sealed class AnnotationRepository(IDatabase database)
{
    private const string Columns = "id, segment_id, camera_id, timestamp_offset, \"timestamp\", type, content, user_id, created_at";

    public async Task InsertAsync(Annotation a, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
                $"INSERT INTO annotations ({Columns}) VALUES (@id, @segment, @camera, @offset, @timestamp, @type, @content, @user, @created)")
            .With("id", d.Id(a.Id)).With("segment", d.Id(a.SegmentId)).With("camera", d.Id(a.CameraId)).With("offset", a.TimestampOffset)
            .With("timestamp", d.Time(a.Timestamp)).With("type", a.Type).With("content", a.Content).With("user", a.UserId).With("created", d.Time(a.CreatedAt));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<Annotation?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command($"SELECT {Columns} FROM annotations WHERE id = @id").With("id", d.Id(id));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader, d) : null;
    }

    public async Task<IReadOnlyList<Annotation>> ListAsync(AnnotationFilter filter, int limit, int offset, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM annotations WHERE {Where(filter, d, command)} ORDER BY \"timestamp\", id LIMIT @limit OFFSET @offset";
        command.With("limit", limit).With("offset", offset);
        var list = new List<Annotation>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(Read(reader, d));
        }

        return list;
    }

    /// <summary>Deletes and returns what was deleted, so the custody log can say exactly which.</summary>
    public async Task<IReadOnlyList<Annotation>> DeleteAsync(AnnotationFilter filter, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"DELETE FROM annotations WHERE {Where(filter, d, command)} RETURNING {Columns}";
        var list = new List<Annotation>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(Read(reader, d));
        }

        return list;
    }

    public async Task<Annotation?> DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command($"DELETE FROM annotations WHERE id = @id RETURNING {Columns}").With("id", d.Id(id));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader, d) : null;
    }

    private static string Where(AnnotationFilter filter, SqlDialect d, DbCommand command)
    {
        var where = new StringBuilder("1 = 1");
        if (filter.SegmentId is { } segment)
        {
            where.Append(" AND segment_id = @segment");
            command.With("segment", d.Id(segment));
        }

        if (filter.CameraId is { } camera)
        {
            where.Append(" AND camera_id = @camera");
            command.With("camera", d.Id(camera));
        }

        if (filter.From is { } from)
        {
            where.Append(" AND \"timestamp\" >= @from");
            command.With("from", d.Time(from));
        }

        if (filter.To is { } to)
        {
            where.Append(" AND \"timestamp\" < @to");
            command.With("to", d.Time(to));
        }

        return where.ToString();
    }

    private static Annotation Read(DbDataReader reader, SqlDialect d) =>
        new(d.ReadId(reader, 0), d.ReadId(reader, 1), d.ReadId(reader, 2), reader.GetInt32(3), d.ReadTime(reader, 4), reader.GetString(5),
            reader.GetString(6), reader.GetString(7), d.ReadTime(reader, 8));
}
