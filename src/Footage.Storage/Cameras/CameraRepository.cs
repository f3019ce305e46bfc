using System.Data.Common;
using Footage.Core;
using Footage.Core.Cameras;
using Footage.Data;
using Footage.ServiceDefaults.Secrets;

namespace Footage.Storage.Cameras;

/// <summary>
/// Our own camera directory: the <c>cameras</c> table. A URL with a user and password is stored encrypted
/// (<see cref="CredentialProtector"/>) and decrypted as it is read; nothing else in the row is secret.
/// </summary>
public sealed class CameraRepository(IDatabase database, CredentialProtector credentials) : ICameraDirectory
{
    private const int MaxRedactedCached = 20_000;

    // stored (encrypted) URL to its redacted form, so that listing 500 cameras does not decrypt 500 URLs per request; a
    // redacted URL holds no secret
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string?> _redacted = new(StringComparer.Ordinal);

    private const string Columns = "id, name, source, rtsp_url, storage_mode, retention_days, enabled, created_at, updated_at, audio, rtsp_transport";

    public async Task<Camera?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command($"SELECT {Columns} FROM cameras WHERE id = @id").With("id", d.Id(id));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader, d) : null;
    }

    public Task<IReadOnlyList<Camera>> ListAsync(CancellationToken cancellationToken) => ListAsync(redacted: false, cancellationToken);

    /// <summary>Every camera; with <paramref name="redacted"/>, URLs come redacted (for answers), without decrypting each one each time.</summary>
    public async Task<IReadOnlyList<Camera>> ListAsync(bool redacted, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command($"SELECT {Columns} FROM cameras ORDER BY name, id");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var cameras = new List<Camera>();
        while (await reader.ReadAsync(cancellationToken))
        {
            cameras.Add(Read(reader, d, redacted));
        }

        return cameras;
    }

    /// <summary>Inserts the camera; false when its id is taken.</summary>
    public async Task<bool> InsertAsync(Camera camera, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            $"INSERT INTO cameras ({Columns}) VALUES (@id, @name, @source, @url, @mode, @retention, @enabled, @created, @updated, @audio, @transport) ON CONFLICT (id) DO NOTHING");
        Bind(command, camera, d);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<bool> UpdateAsync(Camera camera, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "UPDATE cameras SET name = @name, source = @source, rtsp_url = @url, storage_mode = @mode, retention_days = @retention, enabled = @enabled, updated_at = @updated, audio = @audio, rtsp_transport = @transport WHERE id = @id");
        Bind(command, camera, d);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var members = connection.Command("DELETE FROM camera_group_members WHERE camera_id = @id", transaction).With("id", d.Id(id)))
        {
            await members.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var command = connection.Command("DELETE FROM cameras WHERE id = @id", transaction).With("id", d.Id(id));
        var deleted = await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        await transaction.CommitAsync(cancellationToken);
        return deleted;
    }

    /// <summary>Retention overrides: camera id to days, for the cameras that set one.</summary>
    public async Task<Dictionary<Guid, int>> RetentionOverridesAsync(CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("SELECT id, retention_days FROM cameras WHERE retention_days IS NOT NULL");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var overrides = new Dictionary<Guid, int>();
        while (await reader.ReadAsync(cancellationToken))
        {
            overrides[d.ReadId(reader, 0)] = reader.GetInt32(1);
        }

        return overrides;
    }

    /// <summary>
    /// Encrypts the URLs with credentials that an older version stored as plaintext; returns how many. Each row is changed
    /// only if it still holds the plaintext read, so processes doing this at once change each row once.
    /// </summary>
    public async Task<int> ProtectPlaintextCredentialsAsync(CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        var plaintext = new List<(Guid Id, string Url)>();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using (var select = connection.Command("SELECT id, rtsp_url FROM cameras WHERE rtsp_url LIKE '%@%' AND rtsp_url NOT LIKE @prefix")
                         .With("prefix", CredentialProtector.Prefix + "%"))
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                plaintext.Add((d.ReadId(reader, 0), reader.GetString(1)));
            }
        }

        var changed = 0;
        foreach (var (id, url) in plaintext.Where(p => CredentialProtector.HasCredentials(p.Url)))
        {
            await using var update = connection.Command("UPDATE cameras SET rtsp_url = @protected WHERE id = @id AND rtsp_url = @plaintext")
                .With("protected", credentials.Protect(url)).With("id", d.Id(id)).With("plaintext", url);
            changed += await update.ExecuteNonQueryAsync(cancellationToken);
        }

        return changed;
    }

    private void Bind(DbCommand command, Camera c, SqlDialect d) =>
        command.With("id", d.Id(c.Id)).With("name", c.Name).With("source", c.Source).With("url", credentials.Protect(c.RtspUrl))
            .With("mode", StorageModes.ToWire(c.StorageMode)).With("retention", c.RetentionDays)
            .With("enabled", d.IsPostgres ? c.Enabled : c.Enabled ? 1 : 0)
            .With("created", d.Time(c.CreatedAt)).With("updated", d.Time(c.UpdatedAt))
            .With("audio", CameraStreamSettings.ToWire(c.Audio)).With("transport", CameraStreamSettings.ToWire(c.RtspTransport));

    private Camera Read(DbDataReader r, SqlDialect d, bool redacted = false)
    {
        var mode = StorageModes.TryParse(r.GetString(4), out var parsed) ? parsed : StorageMode.Local;
        var enabled = d.IsPostgres ? r.GetBoolean(6) : r.GetInt64(6) != 0;
        var stored = r.GetNullableString(3);
        var url = !redacted || stored is null ? credentials.Unprotect(stored) : Redacted(stored);
        return new Camera(d.ReadId(r, 0), r.GetString(1), r.GetNullableString(2), url, mode,
            r.GetNullableInt32(5), enabled, d.ReadTime(r, 7), d.ReadTime(r, 8))
        {
            Audio = CameraStreamSettings.TryParse(r.GetString(9), out CameraAudio audio) ? audio : CameraAudio.Keep,
            RtspTransport = CameraStreamSettings.TryParse(r.GetString(10), out RtspTransport transport) ? transport : RtspTransport.Tcp,
        };
    }

    private string? Redacted(string stored)
    {
        if (_redacted.TryGetValue(stored, out var known))
        {
            return known;
        }

        if (_redacted.Count > MaxRedactedCached)
        {
            _redacted.Clear();
        }

        return _redacted[stored] = RtspUrls.Redact(credentials.Unprotect(stored));
    }
}
