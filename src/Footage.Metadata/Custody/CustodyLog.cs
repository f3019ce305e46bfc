using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Nodes;
using Footage.Data;

namespace Footage.Metadata.Custody;

/// <summary>
/// The append-only custody log: one hash chain per incident. Appends take the next sequence number of the
/// incident; two appends racing for the same number meet the unique (incident_id, sequence) and the loser
/// reads the new head and tries again. Nothing here updates or deletes an entry (and triggers in the
/// database refuse to).
/// </summary>
public sealed class CustodyLog(IDatabase database, TimeProvider clock)
{
    private const int MaxAttempts = 50;
    private const string Columns = "id, incident_id, sequence, action, actor, occurred_at, details, previous_hash, hash";

    public async Task<CustodyEntry> AppendAsync(Guid incidentId, string action, string actor, JsonObject details, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await AppendAsync(connection, null, incidentId, action, actor, details, cancellationToken);
    }

    /// <summary>Appends inside the caller's transaction, so that a change and its custody entry commit together.</summary>
    public async Task<CustodyEntry> AppendAsync(DbConnection connection, DbTransaction? transaction, Guid incidentId, string action, string actor,
        JsonObject details, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        var canonical = CustodyHash.Canonical(details);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var (sequence, previous) = await HeadAsync(connection, transaction, incidentId, cancellationToken);
            var next = sequence + 1;
            var occurredAt = Core.Time.Instants.Normalize(clock.GetUtcNow());
            var hash = CustodyHash.Compute(incidentId, next, action, actor, occurredAt, canonical, previous);
            var id = Guid.NewGuid();
            await using var insert = connection.Command(
                    $"""
                     INSERT INTO custody_log ({Columns}) VALUES (@id, @incident, @sequence, @action, @actor, @occurred, @details, @previous, @hash)
                     ON CONFLICT (incident_id, sequence) DO NOTHING
                     """, transaction)
                .With("id", d.Id(id)).With("incident", d.Id(incidentId)).With("sequence", next).With("action", action).With("actor", actor)
                .With("occurred", d.Time(occurredAt)).With("details", canonical).With("previous", previous).With("hash", hash);
            if (await insert.ExecuteNonQueryAsync(cancellationToken) == 1)
            {
                return new CustodyEntry(id, incidentId, next, action, actor, occurredAt, (JsonObject)JsonNode.Parse(canonical)!, previous, hash);
            }
        }

        throw new InvalidOperationException($"Could not append to the custody log of incident {incidentId} after {MaxAttempts} attempts.");
    }

    public async Task<IReadOnlyList<CustodyEntry>> ListAsync(Guid incidentId, int afterSequence, int limit, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
                $"SELECT {Columns} FROM custody_log WHERE incident_id = @incident AND sequence > @after ORDER BY sequence LIMIT @limit")
            .With("incident", d.Id(incidentId)).With("after", afterSequence).With("limit", limit);
        var entries = new List<CustodyEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var raw = reader.GetString(6);
            JsonObject details;
            try
            {
                details = JsonNode.Parse(raw) as JsonObject ?? new JsonObject { ["unreadable"] = raw };
            }
            catch (JsonException)
            {
                details = new JsonObject { ["unreadable"] = raw };
            }

            entries.Add(new CustodyEntry(d.ReadId(reader, 0), d.ReadId(reader, 1), reader.GetInt32(2), reader.GetString(3), reader.GetString(4),
                d.ReadTime(reader, 5), details, reader.GetString(7).Trim(), reader.GetString(8).Trim()));
        }

        return entries;
    }

    /// <summary>Recomputes every link: sequence numbers without gaps, each entry's previous hash, each entry's own hash.</summary>
    public async Task<CustodyVerification> VerifyAsync(Guid incidentId, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command($"SELECT {Columns} FROM custody_log WHERE incident_id = @incident ORDER BY sequence")
            .With("incident", d.Id(incidentId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var expectedSequence = 1;
        var previous = CustodyHash.Genesis;
        var count = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            var id = d.ReadId(reader, 0);
            var sequence = reader.GetInt32(2);
            var storedPrevious = reader.GetString(7).Trim();
            var storedHash = reader.GetString(8).Trim();
            CustodyVerification Broken(string reason) => new(incidentId, false, count, previous, sequence, id, reason);

            if (sequence != expectedSequence)
            {
                return Broken($"entry {expectedSequence} is missing: the next entry has sequence {sequence}");
            }

            if (!string.Equals(storedPrevious, previous, StringComparison.Ordinal))
            {
                return Broken("previous_hash does not match the hash of the entry before it");
            }

            string canonical;
            try
            {
                canonical = CustodyHash.Canonical(JsonNode.Parse(reader.GetString(6)));
            }
            catch (JsonException)
            {
                return Broken("details are not valid JSON");
            }

            var recomputed = CustodyHash.Compute(incidentId, sequence, reader.GetString(3), reader.GetString(4), d.ReadTime(reader, 5), canonical, storedPrevious);
            if (!string.Equals(recomputed, storedHash, StringComparison.Ordinal))
            {
                return Broken("the entry's content does not match its hash: it was changed after it was written");
            }

            previous = storedHash;
            expectedSequence++;
            count++;
        }

        return new CustodyVerification(incidentId, true, count, count == 0 ? null : previous, null, null, null);
    }

    private async Task<(int Sequence, string Hash)> HeadAsync(DbConnection connection, DbTransaction? transaction, Guid incidentId, CancellationToken cancellationToken)
    {
        await using var command = connection.Command(
                "SELECT sequence, hash FROM custody_log WHERE incident_id = @incident ORDER BY sequence DESC LIMIT 1", transaction)
            .With("incident", database.Dialect.Id(incidentId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (reader.GetInt32(0), reader.GetString(1).Trim()) : (0, CustodyHash.Genesis);
    }
}
