using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Footage.ServiceDefaults.Auth;

/// <summary>
/// Makes sure an admin can get in: the configured <c>Footage:Auth:AdminApiKey</c>, or on first start a
/// generated key, printed once and written to <c>admin-api-key</c> in the data folder (readable by the owner only).
/// </summary>
public sealed class AdminKeyBootstrapper(ApiKeyStore store, IOptions<AuthOptions> options, IOptions<FootageOptions> footage, ILogger<AdminKeyBootstrapper> logger)
{
    public const string AdminKeyName = "admin";
    public const string KeyFileName = "admin-api-key";

    public async Task EnsureAdminKeyAsync(CancellationToken cancellationToken)
    {
        var configured = options.Value.AdminApiKey;
        if (!string.IsNullOrWhiteSpace(configured))
        {
            await store.EnsureAsync(AdminKeyName, Roles.Admin, configured.Trim(), cancellationToken);
            return;
        }

        if (await store.ExistsAsync(AdminKeyName, cancellationToken))
        {
            return;
        }

        var (_, secret) = await store.CreateAsync(AdminKeyName, Roles.Admin, "bootstrap", cancellationToken);
        var dataDirectory = FootageOptions.ResolveDataDirectory(footage.Value.DataDirectory);
        Directory.CreateDirectory(dataDirectory);
        var path = Path.Combine(dataDirectory, KeyFileName);
        await File.WriteAllTextAsync(path, secret + Environment.NewLine, cancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        // Printed once, on purpose: this is how the person who installed the system gets in.
        logger.LogWarning("Generated the admin API key {AdminApiKey}; it is kept in {KeyFile}. Send it as the X-Api-Key header.", secret, path);
    }
}
