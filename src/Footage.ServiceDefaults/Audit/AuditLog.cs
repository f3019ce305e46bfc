using System.Data.Common;
using Footage.Data;

namespace Footage.ServiceDefaults.Audit;

/// <summary>The <c>audit_log</c> table: appended to by <see cref="AuditMiddleware"/> and <see cref="RefusalAuditor"/>, read by admins.</summary>
public sealed class AuditLog(IDatabase database)
{
    private const string Columns = "id, occurred_at, actor, role, key_id, method, route, path, status, remote_ip, outcome, reason, attempts, last_at";
    private const string Values = "@id, @at, @actor, @role, @key, @method, @route, @path, @status, @ip, @outcome, @reason, @attempts, @last";

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
            .With("last", d.NullableTime(entry.LastAt));
    }

    private static AuditEntry Read(DbDataReader r, SqlDialect d) => new(
        d.ReadId(r, 0), d.ReadTime(r, 1), r.GetString(2), r.GetNullableString(3), r.GetNullableString(4), r.GetString(5), r.GetString(6),
        r.GetString(7), r.GetInt32(8), r.GetNullableString(9), r.GetString(10), r.GetNullableString(11), r.GetInt32(12), d.ReadNullableTime(r, 13));

    private static string Clip(string text, int max) => text.Length <= max ? text : text[..max];
}
