using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Footage.Storage.Cameras;

/// <summary>
/// At start, encrypts the camera credentials an older version left as plaintext in the <c>cameras</c> table (after the
/// migrations have run: the host prepares the database before it starts its services).
/// </summary>
public sealed class CredentialMigration(CameraRepository cameras, ILogger<CredentialMigration> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var changed = await cameras.ProtectPlaintextCredentialsAsync(cancellationToken);
        if (changed > 0)
        {
            logger.LogInformation("Encrypted the credentials of {Count} camera URLs stored as plaintext", changed);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
