using Footage.Data;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Footage.Recording.Leases;

/// <summary>
/// Tells every recorder at once that a camera was started or stopped (PostgreSQL <c>NOTIFY</c> on <c>footage_recording_state</c>),
/// so that the camera's holder, or a recorder with room, plans now instead of at its next round: a stop sent to any recorder
/// stops the camera within a second or so. The desired state itself is in <c>recording_state</c>; a lost signal only delays it
/// to the next round. With SQLite there is one recorder, which plans at once anyway.
/// </summary>
public sealed partial class RecordingStateSignal(IDatabase database, TimeProvider clock, ILogger<RecordingStateSignal> logger)
{
    private const string Channel = "footage_recording_state";

    public async Task NotifyAsync(Guid cameraId, CancellationToken cancellationToken)
    {
        if (!database.Dialect.IsPostgres)
        {
            return;
        }

        try
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            await using var command = connection.Command($"SELECT pg_notify('{Channel}', @camera)").With("camera", cameraId.ToString("D"));
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogSignalFailed(e.Message);
        }
    }

    /// <summary>Calls <paramref name="wake"/> on every signal until the host stops; reconnects after a lost connection.</summary>
    public async Task ListenAsync(Action wake, CancellationToken stoppingToken)
    {
        if (!database.Dialect.IsPostgres)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await database.OpenAsync(stoppingToken);
                if (connection is not NpgsqlConnection listening)
                {
                    return;
                }

                listening.Notification += (_, _) => wake();
                await connection.ExecuteAsync($"LISTEN {Channel}", stoppingToken);
                // a change made while not listening is caught by this round
                wake();
                while (!stoppingToken.IsCancellationRequested)
                {
                    await listening.WaitAsync(stoppingToken);
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogListenFailed(e.Message);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(5), clock, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not signal a recording change to the other recorders (they see it in their next round): {Error}")]
    private partial void LogSignalFailed(string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Not listening for recording changes (planning in rounds only), again in 5 s: {Error}")]
    private partial void LogListenFailed(string error);
}
