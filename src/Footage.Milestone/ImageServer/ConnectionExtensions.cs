namespace Footage.Milestone.ImageServer;

internal static class ConnectionExtensions
{
    public static ValueTask DisposeIfNotNullAsync(this ImageServerConnection? connection) =>
        connection is null ? ValueTask.CompletedTask : connection.DisposeAsync();
}
