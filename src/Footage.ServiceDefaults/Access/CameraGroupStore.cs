using System.Data.Common;
using System.Text.Json;
using Footage.Data;

namespace Footage.ServiceDefaults.Access;

/// <summary>The <c>camera_groups</c>, <c>camera_group_members</c> and <c>camera_access_scopes</c> tables.</summary>
public sealed class CameraGroupStore(IDatabase database)
{
    public async Task<IReadOnlyList<CameraGroup>> ListAsync(CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        var members = await MembersAsync(connection, d, cancellationToken);
        await using var command = connection.Command("SELECT id, name, created_at, updated_at FROM camera_groups ORDER BY name, id");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var groups = new List<CameraGroup>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var id = d.ReadId(reader, 0);
            groups.Add(new CameraGroup(id, reader.GetString(1), members.TryGetValue(id, out var cameras) ? cameras : [], d.ReadTime(reader, 2), d.ReadTime(reader, 3)));
        }

        return groups;
    }

    public async Task<CameraGroup?> GetAsync(Guid id, CancellationToken cancellationToken) =>
        (await ListAsync(cancellationToken)).FirstOrDefault(g => g.Id == id);

    /// <summary>Camera id to the groups it is in, for every camera in a group.</summary>
    public async Task<Dictionary<Guid, List<Guid>>> GroupsByCameraAsync(CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("SELECT camera_id, group_id FROM camera_group_members ORDER BY group_id");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var groups = new Dictionary<Guid, List<Guid>>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var camera = d.ReadId(reader, 0);
            if (!groups.TryGetValue(camera, out var list))
            {
                groups[camera] = list = [];
            }

            list.Add(d.ReadId(reader, 1));
        }

        return groups;
    }

    /// <summary>Inserts the group; false when its name is taken.</summary>
    public async Task<bool> InsertAsync(CameraGroup group, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            await using (var command = connection.Command("INSERT INTO camera_groups (id, name, created_at, updated_at) VALUES (@id, @name, @created, @updated)", transaction))
            {
                await command.With("id", d.Id(group.Id)).With("name", group.Name).With("created", d.Time(group.CreatedAt)).With("updated", d.Time(group.UpdatedAt))
                    .ExecuteNonQueryAsync(cancellationToken);
            }

            await WriteMembersAsync(connection, transaction, d, group.Id, group.CameraIds, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return true;
        }
        catch (DbException e) when (DbErrors.IsUniqueViolation(e))
        {
            return false;
        }
    }

    /// <summary>Renames the group and, when <paramref name="cameraIds"/> is given, sets its cameras. Null when there is no such group, false when the name is taken.</summary>
    public async Task<bool?> UpdateAsync(Guid id, string? name, IReadOnlyList<Guid>? cameraIds, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            await using (var command = connection.Command(
                             "UPDATE camera_groups SET name = COALESCE(@name, name), updated_at = @updated WHERE id = @id", transaction))
            {
                if (await command.With("id", d.Id(id)).With("name", name).With("updated", d.Time(now)).ExecuteNonQueryAsync(cancellationToken) == 0)
                {
                    return null;
                }
            }

            if (cameraIds is not null)
            {
                await using (var clear = connection.Command("DELETE FROM camera_group_members WHERE group_id = @id", transaction))
                {
                    await clear.With("id", d.Id(id)).ExecuteNonQueryAsync(cancellationToken);
                }

                await WriteMembersAsync(connection, transaction, d, id, cameraIds, cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            return true;
        }
        catch (DbException e) when (DbErrors.IsUniqueViolation(e))
        {
            return false;
        }
    }

    /// <summary>Deletes the group, its memberships, and takes it out of every caller's scope (a caller left with no group sees no camera).</summary>
    public async Task<bool> DeleteAsync(Guid id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        int deleted;
        await using (var command = connection.Command("DELETE FROM camera_groups WHERE id = @id", transaction))
        {
            deleted = await command.With("id", d.Id(id)).ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var members = connection.Command("DELETE FROM camera_group_members WHERE group_id = @id", transaction))
        {
            await members.With("id", d.Id(id)).ExecuteNonQueryAsync(cancellationToken);
        }

        foreach (var scope in await ReadScopesAsync(connection, transaction, d, cancellationToken))
        {
            if (scope.GroupIds.Contains(id))
            {
                await UpsertScopeAsync(connection, transaction, d, scope with { GroupIds = [.. scope.GroupIds.Where(g => g != id)], UpdatedAt = now }, cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return deleted == 1;
    }

    /// <summary>The ids of the list that are not cameras of the directory.</summary>
    public async Task<IReadOnlyList<Guid>> UnknownCamerasAsync(IReadOnlyCollection<Guid> cameraIds, CancellationToken cancellationToken) =>
        await UnknownAsync("cameras", cameraIds, cancellationToken);

    /// <summary>The ids of the list that are not groups.</summary>
    public async Task<IReadOnlyList<Guid>> UnknownGroupsAsync(IReadOnlyCollection<Guid> groupIds, CancellationToken cancellationToken) =>
        await UnknownAsync("camera_groups", groupIds, cancellationToken);

    public async Task<IReadOnlyList<AccessScope>> ListScopesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await ReadScopesAsync(connection, null, database.Dialect, cancellationToken);
    }

    public async Task<AccessScope?> GetScopeAsync(string principal, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("SELECT principal, group_ids, updated_at, updated_by FROM camera_access_scopes WHERE principal = @p").With("p", principal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadScope(reader, d) : null;
    }

    /// <summary>Limits the caller to the groups, or (null) lets them see every camera again.</summary>
    public async Task SetScopeAsync(string principal, IReadOnlyList<Guid>? groupIds, string by, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        if (groupIds is null)
        {
            await using var delete = connection.Command("DELETE FROM camera_access_scopes WHERE principal = @p").With("p", principal);
            await delete.ExecuteNonQueryAsync(cancellationToken);
            return;
        }

        await UpsertScopeAsync(connection, null, d, new AccessScope(principal, groupIds, now, by), cancellationToken);
    }

    /// <summary>The cameras of the groups.</summary>
    public async Task<IReadOnlyList<Guid>> CamerasOfAsync(IReadOnlyList<Guid> groupIds, CancellationToken cancellationToken)
    {
        if (groupIds.Count == 0)
        {
            return [];
        }

        var d = database.Dialect;
        var wanted = groupIds.ToHashSet();
        await using var connection = await database.OpenAsync(cancellationToken);
        var members = await MembersAsync(connection, d, cancellationToken);
        return members.Where(m => wanted.Contains(m.Key)).SelectMany(m => m.Value).Distinct().ToArray();
    }

    private async Task<IReadOnlyList<Guid>> UnknownAsync(string table, IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        var known = new HashSet<Guid>();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command($"SELECT id FROM {table}");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            known.Add(d.ReadId(reader, 0));
        }

        return ids.Where(id => !known.Contains(id)).Distinct().ToArray();
    }

    private static async Task<Dictionary<Guid, List<Guid>>> MembersAsync(DbConnection connection, SqlDialect d, CancellationToken cancellationToken)
    {
        var members = new Dictionary<Guid, List<Guid>>();
        await using var command = connection.Command("SELECT group_id, camera_id FROM camera_group_members ORDER BY camera_id");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var group = d.ReadId(reader, 0);
            if (!members.TryGetValue(group, out var list))
            {
                members[group] = list = [];
            }

            list.Add(d.ReadId(reader, 1));
        }

        return members;
    }

    private static async Task WriteMembersAsync(DbConnection connection, DbTransaction transaction, SqlDialect d, Guid groupId, IReadOnlyList<Guid> cameraIds, CancellationToken cancellationToken)
    {
        foreach (var camera in cameraIds.Distinct())
        {
            await using var command = connection.Command("INSERT INTO camera_group_members (group_id, camera_id) VALUES (@group, @camera)", transaction);
            await command.With("group", d.Id(groupId)).With("camera", d.Id(camera)).ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static async Task<List<AccessScope>> ReadScopesAsync(DbConnection connection, DbTransaction? transaction, SqlDialect d, CancellationToken cancellationToken)
    {
        await using var command = connection.Command("SELECT principal, group_ids, updated_at, updated_by FROM camera_access_scopes ORDER BY principal", transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var scopes = new List<AccessScope>();
        while (await reader.ReadAsync(cancellationToken))
        {
            scopes.Add(ReadScope(reader, d));
        }

        return scopes;
    }

    private static AccessScope ReadScope(DbDataReader reader, SqlDialect d) =>
        new(reader.GetString(0), JsonSerializer.Deserialize<Guid[]>(reader.GetString(1)) ?? [], d.ReadTime(reader, 2), reader.GetString(3));

    private static async Task UpsertScopeAsync(DbConnection connection, DbTransaction? transaction, SqlDialect d, AccessScope scope, CancellationToken cancellationToken)
    {
        await using var command = connection.Command(
            """
            INSERT INTO camera_access_scopes (principal, group_ids, updated_at, updated_by) VALUES (@p, @groups, @at, @by)
            ON CONFLICT (principal) DO UPDATE SET group_ids = excluded.group_ids, updated_at = excluded.updated_at, updated_by = excluded.updated_by
            """, transaction);
        await command.With("p", scope.Principal).With("groups", JsonSerializer.Serialize(scope.GroupIds.Distinct())).With("at", d.Time(scope.UpdatedAt))
            .With("by", scope.UpdatedBy).ExecuteNonQueryAsync(cancellationToken);
    }
}
