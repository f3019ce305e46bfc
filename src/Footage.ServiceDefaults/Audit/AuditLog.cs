using System.Data.Common;
using Footage.Data;

namespace Footage.ServiceDefaults.Audit;

/// <summary>The <c>audit_log</c> table: appended to by <see cref="AuditMiddleware"/>, read by admins.</summary>
public sealed class AuditLog(IDatabase database)
{
    private const string Columns = "id, occurred_at, actor, role, key_id, method, route, path, status, remote_ip";

    public async Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
                $"INSERT INTO audit_log ({Columns}) VALUES (@id, @at, @actor, @role, @key, @method, @route, @path, @status, @ip)")
            .With("id", d.Id(entry.Id)).With("at", d.Time(entry.OccurredAt)).With("actor", Clip(entry.Actor, 255)).With("role", entry.Role)
            .With("key", entry.KeyId).With("method", entry.Method).With("route", Clip(entry.Route, 500)).With("path", Clip(entry.Path, 2000))
            .With("status", entry.Status).With("ip", entry.RemoteIp);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Newest first, within [from, to) when given, optionally of one actor.</summary>
    public async Task<IReadOnlyList<AuditEntry>> ListAsync(DateTimeOffset? from, DateTimeOffset? to, string? actor, int limit, CancellationToken cancellationToken)
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

    private static AuditEntry Read(DbDataReader r, SqlDialect d) => new(
        d.ReadId(r, 0), d.ReadTime(r, 1), r.GetString(2), r.GetNullableString(3), r.GetNullableString(4), r.GetString(5), r.GetString(6),
        r.GetString(7), r.GetInt32(8), r.GetNullableString(9));

    private static string Clip(string text, int max) => text.Length <= max ? text : text[..max];
}
