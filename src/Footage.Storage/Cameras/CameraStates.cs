using System.Data.Common;
using Footage.Core;
using Footage.Core.Cameras;
using Footage.Data;

namespace Footage.Storage.Cameras;

/// <summary>
/// A camera's recording state for the camera list (its <c>status</c>, filter and sort), read from what every recorder shares
/// in the catalog so that it is the <c>health</c> the recording status API gives, from any process: MILESTONE (its storage
/// mode); while a recorder holds its lease, what that holder last reported in <c>camera_health</c> (RECORDING when recording
/// or starting, and when taken but not reported on yet; FAILING when reconnecting, failed or over quota; STOPPED once it
/// stopped); without a live lease, FAILING when it should record (waiting for a recorder) and STOPPED otherwise.
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
        var shouldRecord = await RowsAsync(connection, "SELECT camera_id FROM recording_state WHERE should_record = @yes",
            c => c.With("yes", d.IsPostgres ? true : 1), _ => true, d, cancellationToken);
        var holders = await RowsAsync(connection, "SELECT camera_id, recorder_id FROM camera_leases WHERE expires_at > @now",
            c => c.With("now", d.Time(clock.GetUtcNow())), r => r.GetString(1), d, cancellationToken);
        var reports = await RowsAsync(connection, "SELECT camera_id, recorder_id, state FROM camera_health WHERE reported_at IS NOT NULL",
            _ => { }, r => (Recorder: r.GetNullableString(1), State: r.GetNullableString(2)), d, cancellationToken);
        return cameras.ToDictionary(c => c.Id, c =>
            c.StorageMode == StorageMode.Milestone ? Milestone
            : holders.TryGetValue(c.Id, out var holder) ? Held(reports.TryGetValue(c.Id, out var report) && report.Recorder == holder ? report.State : null)
            : shouldRecord.ContainsKey(c.Id) ? Failing
            : Stopped);
    }

    /// <summary>A held camera's state from its holder's last report (the recorder's wire names); not reported on yet: starting.</summary>
    private static string Held(string? reported) => reported switch
    {
        null or "STARTING" or "RECORDING" => Recording,
        "STOPPED" => Stopped,
        "MILESTONE" => Milestone,
        _ => Failing,
    };

    /// <summary>The rows a query returns by camera; none when its table is not there yet (a Storage process that never shared a database with a recorder).</summary>
    private static async Task<Dictionary<Guid, T>> RowsAsync<T>(
        DbConnection connection, string sql, Action<DbCommand> bind, Func<DbDataReader, T> read, SqlDialect d, CancellationToken cancellationToken)
    {
        var rows = new Dictionary<Guid, T>();
        try
        {
            await using var command = connection.Command(sql);
            bind(command);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                rows[d.ReadId(reader, 0)] = read(reader);
            }
        }
        catch (DbException e) when (IsMissingTable(e))
        {
        }

        return rows;
    }

    private static bool IsMissingTable(DbException e) => e switch
    {
        Npgsql.PostgresException p => p.SqlState == Npgsql.PostgresErrorCodes.UndefinedTable,
        Microsoft.Data.Sqlite.SqliteException s => s.Message.Contains("no such table", StringComparison.Ordinal),
        _ => false,
    };
}
