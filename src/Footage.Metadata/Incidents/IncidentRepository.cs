using System.Data.Common;
using System.Text.Json.Nodes;
using Footage.Core.Time;
using Footage.Data;
using Footage.Metadata.Custody;
using Footage.ServiceDefaults.Validation;

namespace Footage.Metadata.Incidents;

/// <summary>
/// Incidents on PostgreSQL or SQLite. Every change commits together with its custody entries, in one
/// transaction, so the log never misses a change and never records one that did not happen. The incident's
/// evidence holds are written in the same transaction too (<see cref="Holds.IncidentHolds"/>).
/// </summary>
public sealed class IncidentRepository(IDatabase database, CustodyLog custody, TimeProvider clock, Holds.IncidentHolds? holds = null)
{
    public async Task<Incident> CreateAsync(Incident incident, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var insert = connection.Command(
                         $"""
                          INSERT INTO incidents (id, title, description, severity, status, camera_ids, start_time, end_time, tags, assigned_to, created_by, created_at, updated_at, closed_at)
                          VALUES (@id, @title, @description, @severity, @status, @cameras, @start, @end, @tags, @assigned, @created_by, @created, @updated, @closed)
                          """, transaction))
        {
            Bind(insert, d, incident).With("created_by", incident.CreatedBy).With("created", d.Time(incident.CreatedAt));
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await custody.AppendAsync(connection, transaction, incident.Id, CustodyActions.Created, incident.CreatedBy, Snapshot(incident), cancellationToken);
        if (holds is not null)
        {
            await holds.WriteAsync(connection, transaction, incident, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        holds?.Committed();
        return incident;
    }

    public async Task<Incident?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await GetAsync(connection, null, id, forUpdate: false, cancellationToken);
    }

    /// <summary>
    /// Applies <paramref name="change"/> to the current incident under a row lock and records what changed:
    /// CLOSED or STATUS_CHANGED for the status, TAGGED for the tags, UPDATED for anything else.
    /// </summary>
    public async Task<IncidentUpdate> UpdateAsync(Guid id, string actor, Func<Incident, DateTimeOffset, ValidationErrors, Incident?> change, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var before = await GetAsync(connection, transaction, id, forUpdate: true, cancellationToken);
        if (before is null)
        {
            return new IncidentUpdate(null, null, null);
        }

        var errors = new ValidationErrors();
        var now = Instants.Normalize(clock.GetUtcNow());
        var after = change(before, now, errors);
        if (after is null || !errors.IsEmpty)
        {
            return new IncidentUpdate(before, null, errors);
        }

        var changes = Diff(before, after);
        if (changes.Count == 0)
        {
            return new IncidentUpdate(before, before, null);
        }

        after = after with { UpdatedAt = now };
        await using (var update = connection.Command(
                         """
                         UPDATE incidents SET title = @title, description = @description, severity = @severity, status = @status, camera_ids = @cameras,
                             start_time = @start, end_time = @end, tags = @tags, assigned_to = @assigned, updated_at = @updated, closed_at = @closed
                         WHERE id = @id
                         """, transaction))
        {
            await Bind(update, d, after).ExecuteNonQueryAsync(cancellationToken);
        }

        if (before.Status != after.Status)
        {
            var action = after.Status == IncidentStatus.Closed ? CustodyActions.Closed : CustodyActions.StatusChanged;
            await custody.AppendAsync(connection, transaction, id, action, actor,
                new JsonObject { ["from"] = IncidentValues.ToDb(before.Status), ["to"] = IncidentValues.ToDb(after.Status) }, cancellationToken);
        }

        if (changes.Remove("tags"))
        {
            await custody.AppendAsync(connection, transaction, id, CustodyActions.Tagged, actor,
                new JsonObject { ["from"] = Texts(before.Tags), ["to"] = Texts(after.Tags) }, cancellationToken);
        }

        changes.Remove("status");
        changes.Remove("closed_at");
        if (changes.Count > 0)
        {
            var details = new JsonObject();
            var old = Snapshot(before);
            var @new = Snapshot(after);
            foreach (var field in changes)
            {
                details[field] = new JsonObject { ["from"] = old[field]?.DeepClone(), ["to"] = @new[field]?.DeepClone() };
            }

            await custody.AppendAsync(connection, transaction, id, CustodyActions.Updated, actor, details, cancellationToken);
        }

        if (holds is not null)
        {
            await holds.WriteAsync(connection, transaction, after, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        holds?.Committed();
        return new IncidentUpdate(before, after, null);
    }

    /// <summary>Incidents (any status) covering one of the cameras during part of the range.</summary>
    public async Task<IReadOnlyList<Guid>> OverlappingAsync(IReadOnlyCollection<Guid> cameras, TimeRange range, CancellationToken cancellationToken)
    {
        if (cameras.Count == 0)
        {
            return [];
        }

        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
                $"SELECT incidents.id FROM incidents WHERE {IncidentSql.AnyCamera(d, "@cameras")} AND incidents.start_time < @end AND incidents.end_time > @start ORDER BY incidents.id")
            .With("cameras", d.Ids(cameras)).With("start", d.Time(range.Start)).With("end", d.Time(range.End));
        var ids = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(d.ReadId(reader, 0));
        }

        return ids;
    }

    /// <summary>Incidents that hold their footage: not closed, or closed after <paramref name="closedAfter"/>.</summary>
    public async Task<IReadOnlyList<Incident>> HoldingAsync(DateTimeOffset closedAfter, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await HoldingAsync(connection, null, closedAfter, cancellationToken);
    }

    public async Task<IReadOnlyList<Incident>> HoldingAsync(DbConnection connection, DbTransaction? transaction, DateTimeOffset closedAfter, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var command = connection.Command(
                $"SELECT {IncidentSql.Columns} FROM incidents WHERE incidents.status <> 'CLOSED' OR incidents.closed_at IS NULL OR incidents.closed_at > @after",
                transaction)
            .With("after", d.Time(closedAfter));
        var list = new List<Incident>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(IncidentSql.Read(reader, d));
        }

        return list;
    }

    /// <summary>The incident's fields as custody details (what was created, what an update changed from and to).</summary>
    public static JsonObject Snapshot(Incident i) => new()
    {
        ["title"] = i.Title,
        ["description"] = i.Description,
        ["severity"] = IncidentValues.ToDb(i.Severity),
        ["status"] = IncidentValues.ToDb(i.Status),
        ["camera_ids"] = new JsonArray(i.CameraIds.Select(c => (JsonNode)c.ToString("D")).ToArray()),
        ["start_time"] = Instants.ToIso(i.StartTime),
        ["end_time"] = Instants.ToIso(i.EndTime),
        ["tags"] = Texts(i.Tags),
        ["assigned_to"] = i.AssignedTo,
        ["closed_at"] = i.ClosedAt is { } closed ? Instants.ToIso(closed) : null,
    };

    private static JsonArray Texts(IEnumerable<string> values) => new(values.Select(v => (JsonNode)v).ToArray());

    private static List<string> Diff(Incident before, Incident after)
    {
        var old = Snapshot(before);
        var @new = Snapshot(after);
        return old.Select(p => p.Key)
            .Where(key => CustodyHash.Canonical(old[key]) != CustodyHash.Canonical(@new[key]))
            .ToList();
    }

    private async Task<Incident?> GetAsync(DbConnection connection, DbTransaction? transaction, Guid id, bool forUpdate, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        var lockClause = forUpdate && d.IsPostgres ? " FOR UPDATE" : string.Empty;
        await using var command = connection.Command($"SELECT {IncidentSql.Columns} FROM incidents WHERE incidents.id = @id{lockClause}", transaction)
            .With("id", d.Id(id));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? IncidentSql.Read(reader, d) : null;
    }

    private static DbCommand Bind(DbCommand command, SqlDialect d, Incident i) =>
        command.With("id", d.Id(i.Id)).With("title", i.Title).With("description", i.Description)
            .With("severity", IncidentValues.ToDb(i.Severity)).With("status", IncidentValues.ToDb(i.Status))
            .With("cameras", d.Ids(i.CameraIds.ToArray())).With("start", d.Time(i.StartTime)).With("end", d.Time(i.EndTime))
            .With("tags", d.Texts(i.Tags.ToArray())).With("assigned", i.AssignedTo).With("updated", d.Time(i.UpdatedAt))
            .With("closed", d.NullableTime(i.ClosedAt));
}
