namespace Footage.Data;

/// <summary>
/// A named lease in the <c>job_leases</c> table: whoever holds it runs the job; a holder that dies loses it
/// when it expires. Works across processes on PostgreSQL and SQLite alike.
/// </summary>
public sealed class JobLease(IDatabase database, TimeProvider clock)
{
    public async Task<bool> TryAcquireAsync(string name, string holder, TimeSpan duration, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        var now = clock.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
                """
                INSERT INTO job_leases (name, holder, expires_at) VALUES (@name, @holder, @expires)
                ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
                WHERE job_leases.expires_at < @now OR job_leases.holder = excluded.holder
                """)
            .With("name", name).With("holder", holder).With("expires", d.Time(now + duration)).With("now", d.Time(now));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task ReleaseAsync(string name, string holder, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("DELETE FROM job_leases WHERE name = @name AND holder = @holder")
            .With("name", name).With("holder", holder);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
