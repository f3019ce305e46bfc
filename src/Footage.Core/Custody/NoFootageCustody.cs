namespace Footage.Core.Custody;

/// <summary>The default when no module keeps custody logs: footage actions are not recorded anywhere.</summary>
public sealed class NoFootageCustody : IFootageCustody
{
    public Task RecordAsync(FootageEvent footageEvent, CancellationToken cancellationToken) => Task.CompletedTask;
}
