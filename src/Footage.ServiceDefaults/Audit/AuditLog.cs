using System.Data.Common;
using Footage.Data;

namespace Footage.ServiceDefaults.Audit;

/// <summary>
/// The <c>audit_log</c> table: appended to by <see cref="AuditMiddleware"/>, <see cref="RefusalAuditor"/> and <see cref="AccessLog"/>,
/// read by admins.
/// </summary>
public sealed class AuditLog(IDatabase database)
{
    private const string Columns =
        "id, occurred_at, actor, role, key_id, method, route, path, status, remote_ip, outcome, reason, attempts, last_at, access, camera_id, range_start, range_end";

    private const string Values =
        "@id, @at, @actor, @role, @key, @method, @route, @path, @status, @ip, @outcome, @reason, @attempts, @last, @access, @camera, @range_start, @range_end";

    public async Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Bind(connection.Command($"INSERT INTO audit_log ({Columns}) VALUES ({Values})"), entry);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Writes a coalesced refusal, or brings its count and last time up to date.</summary>
    public async Task UpsertAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Bind(connection.Command(
            $"INSERT INTO audit_log ({Columns}) VALUES ({Values}) ON CONFLICT (id) DO UPDATE SET attempts = excluded.attempts, last_at = excluded.last_at"), entry);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Brings a coalesced viewing up to date: its range, its count of playlist requests and the time of the last one.</summary>
    public async Task UpdateAccessAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
                "UPDATE audit_log SET range_start = @range_start, range_end = @range_end, attempts = @attempts, last_at = @last WHERE id = @id")
            .With("range_start", d.NullableTime(entry.RangeStart)).With("range_end", d.NullableTime(entry.RangeEnd)).With("attempts", entry.Attempts)
            .With("last", d.NullableTime(entry.LastAt)).With("id", d.Id(entry.Id));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Accesses to footage, newest first: of one camera when given, whose footage range overlaps [from, to) when given,
    /// of one actor or one kind of access when given.
    /// </summary>
    public async Task<IReadOnlyList<AuditEntry>> ListAccessAsync(
        Guid? cameraId, DateTimeOffset? from, DateTimeOffset? to, string? actor, string? access, int limit, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        var where = new List<string> { "outcome = @outcome" };
        await using var command = connection.Command("").With("outcome", AuditOutcome.Accessed);
        if (cameraId is { } camera)
        {
            where.Add("camera_id = @camera");
            command.With("camera", d.Id(camera));
        }

        if (from is { } f)
        {
            where.Add("range_end > @from");
            command.With("from", d.Time(f));
        }

        if (to is { } t)
        {
            where.Add("range_start < @to");
            command.With("to", d.Time(t));
        }

        if (!string.IsNullOrEmpty(actor))
        {
            where.Add("actor = @actor");
            command.With("actor", actor);
        }

        if (!string.IsNullOrEmpty(access))
        {
            where.Add("access = @access");
            command.With("access", access);
        }

        command.CommandText = $"SELECT {Columns} FROM audit_log WHERE {string.Join(" AND ", where)} ORDER BY occurred_at DESC, id LIMIT @limit";
        command.With("limit", limit);
        return await ReadAllAsync(command, d, cancellationToken);
    }

    /// <summary>Deletes refused attempts that began before <paramref name="before"/>; changes are never deleted.</summary>
    public async Task<int> DeleteRefusedBeforeAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("DELETE FROM audit_log WHERE outcome = @outcome AND occurred_at < @before")
            .With("outcome", AuditOutcome.Refused).With("before", database.Dialect.Time(before));
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Newest first, within [from, to) when given, optionally of one actor or one outcome.</summary>
    public async Task<IReadOnlyList<AuditEntry>> ListAsync(
        DateTimeOffset? from, DateTimeOffset? to, string? actor, int limit, CancellationToken cancellationToken, string? outcome = null)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        var where = new List<string>();
        await using var command = connection.Command("");
        if (from is { } f)
        {
            where.Add("occurred_at >= @from");
            command.With("from", d.Time(f));
        }

        if (to is { } t)
        {
            where.Add("occurred_at < @to");
            command.With("to", d.Time(t));
        }

        if (!string.IsNullOrEmpty(actor))
        {
            where.Add("actor = @actor");
            command.With("actor", actor);
        }

        if (!string.IsNullOrEmpty(outcome))
        {
            where.Add("outcome = @outcome");
            command.With("outcome", outcome);
        }

        command.CommandText = $"SELECT {Columns} FROM audit_log {(where.Count > 0 ? "WHERE " + string.Join(" AND ", where) : "")} ORDER BY occurred_at DESC, id LIMIT @limit";
        command.With("limit", limit);
        return await ReadAllAsync(command, d, cancellationToken);
    }

    private static async Task<IReadOnlyList<AuditEntry>> ReadAllAsync(DbCommand command, SqlDialect d, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var entries = new List<AuditEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(Read(reader, d));
        }

        return entries;
    }

    private DbCommand Bind(DbCommand command, AuditEntry entry)
    {
        var d = database.Dialect;
        return command
            .With("id", d.Id(entry.Id)).With("at", d.Time(entry.OccurredAt)).With("actor", Clip(entry.Actor, 255)).With("role", entry.Role)
            .With("key", entry.KeyId).With("method", Clip(entry.Method, 10)).With("route", Clip(entry.Route, 500)).With("path", Clip(entry.Path, 2000))
            .With("status", entry.Status).With("ip", entry.RemoteIp).With("outcome", entry.Outcome)
            .With("reason", entry.Reason is null ? null : Clip(entry.Reason, 200)).With("attempts", entry.Attempts)
            .With("last", d.NullableTime(entry.LastAt)).With("access", entry.Access).With("camera", d.NullableId(entry.CameraId))
            .With("range_start", d.NullableTime(entry.RangeStart)).With("range_end", d.NullableTime(entry.RangeEnd));
    }

    private static AuditEntry Read(DbDataReader r, SqlDialect d) => new(
        d.ReadId(r, 0), d.ReadTime(r, 1), r.GetString(2), r.GetNullableString(3), r.GetNullableString(4), r.GetString(5), r.GetString(6),
        r.GetString(7), r.GetInt32(8), r.GetNullableString(9), r.GetString(10), r.GetNullableString(11), r.GetInt32(12), d.ReadNullableTime(r, 13),
        r.GetNullableString(14), d.ReadNullableId(r, 15), d.ReadNullableTime(r, 16), d.ReadNullableTime(r, 17));

    private static string Clip(string text, int max) => text.Length <= max ? text : text[..max];
}
