using Footage.Data;

namespace Footage.Recording.Cameras;

/// <summary>The demo camera's row in the shared <c>cameras</c> table, so it is listed and configured like any other.</summary>
public static class DemoCameraRow
{
    public static async Task EnsureAsync(IDatabase database, DemoCameraOptions demo, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            """
            INSERT INTO cameras (id, name, source, rtsp_url, storage_mode, retention_days, enabled, created_at, updated_at)
            VALUES (@id, @name, @source, NULL, 'LOCAL', NULL, @enabled, @now, @now)
            ON CONFLICT (id) DO NOTHING
            """)
            .With("id", d.Id(demo.Id)).With("name", demo.Name).With("source", DemoCamera.Source)
            .With("enabled", d.IsPostgres ? true : 1).With("now", d.Time(now));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
