using System.Data.Common;
using Footage.Data;
using Microsoft.Extensions.Caching.Memory;

namespace Footage.Playback.Links;

/// <summary>
/// The <c>playback_links</c> table. A player refreshing a live playlist several times a second reads its link from a short
/// memory cache (<see cref="CacheFor"/>), so a revocation takes effect within that time on every node.
/// </summary>
public sealed class PlaybackLinkRepository(IDatabase database, IMemoryCache cache)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(10);
    private const string Columns = "id, camera_id, from_time, to_time, created_by, created_at, expires_at, revoked_at";

    public async Task CreateAsync(PlaybackLink link, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
                $"INSERT INTO playback_links ({Columns}) VALUES (@id, @camera, @from, @to, @by, @at, @expires, NULL)")
            .With("id", d.Id(link.Id)).With("camera", d.Id(link.CameraId)).With("from", d.NullableTime(link.From)).With("to", d.NullableTime(link.To))
            .With("by", link.CreatedBy).With("at", d.Time(link.CreatedAt)).With("expires", d.Time(link.ExpiresAt));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<PlaybackLink?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (cache.TryGetValue(Key(id), out PlaybackLink? cached))
        {
            return cached;
        }

        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command($"SELECT {Columns} FROM playback_links WHERE id = @id").With("id", d.Id(id));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var link = await reader.ReadAsync(cancellationToken) ? Read(reader, d) : null;
        cache.Set(Key(id), link, CacheFor);
        return link;
    }

    /// <summary>Newest first: everyone's, or those <paramref name="createdBy"/> made.</summary>
    public async Task<IReadOnlyList<PlaybackLink>> ListAsync(string? createdBy, Guid? cameraId, int limit, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        var where = new List<string>();
        await using var command = connection.Command(string.Empty);
        if (createdBy is not null)
        {
            where.Add("created_by = @by");
            command.With("by", createdBy);
        }

        if (cameraId is { } camera)
        {
            where.Add("camera_id = @camera");
            command.With("camera", d.Id(camera));
        }

        command.CommandText = $"SELECT {Columns} FROM playback_links {(where.Count > 0 ? "WHERE " + string.Join(" AND ", where) : string.Empty)} ORDER BY created_at DESC LIMIT @limit";
        command.With("limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var links = new List<PlaybackLink>();
        while (await reader.ReadAsync(cancellationToken))
        {
            links.Add(Read(reader, d));
        }

        return links;
    }

    /// <summary>Revokes the link (once: the first time stays); false when there is no such link.</summary>
    public async Task<bool> RevokeAsync(Guid id, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("UPDATE playback_links SET revoked_at = COALESCE(revoked_at, @at) WHERE id = @id")
            .With("id", d.Id(id)).With("at", d.Time(at));
        var changed = await command.ExecuteNonQueryAsync(cancellationToken) > 0;
        cache.Remove(Key(id));
        return changed;
    }

    private static string Key(Guid id) => $"playback-link:{id:N}";

    private static PlaybackLink Read(DbDataReader r, SqlDialect d) =>
        new(d.ReadId(r, 0), d.ReadId(r, 1), d.ReadNullableTime(r, 2), d.ReadNullableTime(r, 3), r.GetString(4), d.ReadTime(r, 5), d.ReadTime(r, 6),
            d.ReadNullableTime(r, 7));
}
