using System.Data.Common;
using Footage.Core;
using Footage.Core.Cameras;
using Footage.Data;

namespace Footage.Storage.Cameras;

/// <summary>
/// A camera's recording state for the camera list's filter, read from what every recorder shares in the catalog:
/// MILESTONE (its storage mode), RECORDING (it should record and a recorder holds its lease), FAILING (it should record and
/// no recorder holds it), STOPPED (it should not record). A recorder whose ffmpeg is reconnecting still holds the lease:
/// the recording status API gives that detail.
/// </summary>
public sealed class CameraStates(IDatabase database, TimeProvider clock)
{
    public const string Recording = "RECORDING";
    public const string Failing = "FAILING";
    public const string Stopped = "STOPPED";
    public const string Milestone = "MILESTONE";

    public static readonly IReadOnlyList<string> All = [Recording, Failing, Stopped, Milestone];

    public async Task<Dictionary<Guid, string>> ReadAsync(IReadOnlyList<Camera> cameras, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        var shouldRecord = await IdsAsync(connection, "SELECT camera_id FROM recording_state WHERE should_record = @yes",
            c => c.With("yes", d.IsPostgres ? true : 1), d, cancellationToken);
        var held = await IdsAsync(connection, "SELECT camera_id FROM camera_leases WHERE expires_at > @now",
            c => c.With("now", d.Time(clock.GetUtcNow())), d, cancellationToken);
        return cameras.ToDictionary(c => c.Id, c =>
            c.StorageMode == StorageMode.Milestone ? Milestone
            : !shouldRecord.Contains(c.Id) ? Stopped
            : held.Contains(c.Id) ? Recording
            : Failing);
    }

    /// <summary>The ids a query returns; none when its table is not there yet (a Storage process that never shared a database with a recorder).</summary>
    private static async Task<HashSet<Guid>> IdsAsync(DbConnection connection, string sql, Action<DbCommand> bind, SqlDialect d, CancellationToken cancellationToken)
    {
        var ids = new HashSet<Guid>();
        try
        {
            await using var command = connection.Command(sql);
            bind(command);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                ids.Add(d.ReadId(reader, 0));
            }
        }
        catch (DbException e) when (IsMissingTable(e))
        {
        }

        return ids;
    }

    private static bool IsMissingTable(DbException e) => e switch
    {
        Npgsql.PostgresException p => p.SqlState == Npgsql.PostgresErrorCodes.UndefinedTable,
        Microsoft.Data.Sqlite.SqliteException s => s.Message.Contains("no such table", StringComparison.Ordinal),
        _ => false,
    };
}
