namespace Footage.Data;

/// <summary>Work a module does on the database once its migrations are applied and before the host starts serving.</summary>
public interface IDatabaseStartupTask
{
    Task RunAsync(CancellationToken cancellationToken);
}
