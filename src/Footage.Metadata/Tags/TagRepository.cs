using System.Data.Common;
using Footage.Data;

namespace Footage.Metadata.Tags;

/// <summary>The tag catalog and the tags on segments.</summary>
public sealed class TagRepository(IDatabase database)
{
    private const string Columns = "id, name, category, color, created_at";

    /// <summary>False when a tag of that name exists.</summary>
    public async Task<bool> InsertAsync(Tag tag, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
                "INSERT INTO tags (id, name, category, color, created_at) VALUES (@id, @name, @category, @color, @created) ON CONFLICT (name) DO NOTHING")
            .With("id", d.Id(tag.Id)).With("name", tag.Name).With("category", tag.Category).With("color", tag.Color).With("created", d.Time(tag.CreatedAt));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<Tag?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command($"SELECT {Columns} FROM tags WHERE id = @id").With("id", d.Id(id));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader, d) : null;
    }

    public async Task<Tag?> FindByNameAsync(string name, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command($"SELECT {Columns} FROM tags WHERE name = @name").With("name", name);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader, d) : null;
    }

    /// <summary>Tags ordered by name, optionally of one category.</summary>
    public async Task<IReadOnlyList<Tag>> ListAsync(string? category, int limit, int offset, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
                $"SELECT {Columns} FROM tags{(category is null ? "" : " WHERE category = @category")} ORDER BY name, id LIMIT @limit OFFSET @offset")
            .With("limit", limit).With("offset", offset);
        if (category is not null)
        {
            command.With("category", category);
        }

        var tags = new List<Tag>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            tags.Add(Read(reader, d));
        }

        return tags;
    }

    /// <summary>Null when the tag does not exist; throws a unique violation when the new name is taken.</summary>
    public async Task<Tag?> UpdateAsync(Tag tag, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("UPDATE tags SET name = @name, category = @category, color = @color WHERE id = @id")
            .With("id", d.Id(tag.Id)).With("name", tag.Name).With("category", tag.Category).With("color", tag.Color);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1 ? tag : null;
    }

    /// <summary>Deletes the tag and, by cascade, its use on segments.</summary>
    public async Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("DELETE FROM tags WHERE id = @id").With("id", database.Dialect.Id(id));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>True when the tag was added, false when the segment already had it.</summary>
    public async Task<bool> TagSegmentAsync(Guid segmentId, Guid tagId, string userId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
                "INSERT INTO video_tags (segment_id, tag_id, user_id, created_at) VALUES (@segment, @tag, @user, @created) ON CONFLICT (segment_id, tag_id) DO NOTHING")
            .With("segment", d.Id(segmentId)).With("tag", d.Id(tagId)).With("user", userId).With("created", d.Time(at));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<bool> UntagSegmentAsync(Guid segmentId, Guid tagId, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("DELETE FROM video_tags WHERE segment_id = @segment AND tag_id = @tag")
            .With("segment", d.Id(segmentId)).With("tag", d.Id(tagId));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>The tags of each of the segments, ordered by tag name.</summary>
    public async Task<IReadOnlyDictionary<Guid, List<SegmentTag>>> TagsOfSegmentsAsync(IReadOnlyCollection<Guid> segmentIds, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        var result = new Dictionary<Guid, List<SegmentTag>>();
        if (segmentIds.Count == 0)
        {
            return result;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var names = new List<string>();
        var i = 0;
        foreach (var id in segmentIds)
        {
            names.Add($"@s{i}");
            command.With($"s{i}", d.Id(id));
            i++;
        }

        command.CommandText =
            $"""
             SELECT vt.segment_id, vt.user_id, vt.created_at, t.id, t.name, t.category, t.color, t.created_at
             FROM video_tags vt JOIN tags t ON t.id = vt.tag_id
             WHERE vt.segment_id IN ({string.Join(", ", names)})
             ORDER BY t.name
             """;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var segmentId = d.ReadId(reader, 0);
            var tag = new Tag(d.ReadId(reader, 3), reader.GetString(4), reader.GetNullableString(5), reader.GetNullableString(6), d.ReadTime(reader, 7));
            if (!result.TryGetValue(segmentId, out var list))
            {
                result[segmentId] = list = [];
            }

            list.Add(new SegmentTag(segmentId, tag, reader.GetString(1), d.ReadTime(reader, 2)));
        }

        return result;
    }

    private static Tag Read(DbDataReader reader, SqlDialect d) =>
        new(d.ReadId(reader, 0), reader.GetString(1), reader.GetNullableString(2), reader.GetNullableString(3), d.ReadTime(reader, 4));
}
