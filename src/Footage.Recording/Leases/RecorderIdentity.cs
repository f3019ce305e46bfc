using System.Security.Cryptography;
using System.Text;
using Footage.Recording.Spool;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Footage.Recording.Leases;

/// <summary>Who this recorder is in <c>camera_leases</c>, and where the other modules reach it.</summary>
public sealed class RecorderIdentity(IOptions<LeaseOptions> options, SpoolFolder spool, IServiceProvider services)
{
    /// <summary>
    /// The configured id, else the machine's name and a hash of the spool folder: the same after a restart (a recorder
    /// that crashed takes its cameras back at once instead of waiting for its old leases to expire), and different for
    /// two recorders on one machine, which cannot share a spool anyway.
    /// </summary>
    public string Id { get; } = string.IsNullOrWhiteSpace(options.Value.RecorderId)
        ? $"{Environment.MachineName}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(spool.Root)))[..8]}"
        : options.Value.RecorderId.Trim();

    /// <summary>
    /// The configured URL, else the first address Kestrel really listens on (none until it has started), with a wildcard
    /// host (<c>+</c>, <c>*</c>, <c>0.0.0.0</c>, <c>[::]</c>) replaced by the machine's name, which a container's network resolves.
    /// </summary>
    public string? Url
    {
        get
        {
            if (!string.IsNullOrWhiteSpace(options.Value.RecorderUrl))
            {
                return options.Value.RecorderUrl.TrimEnd('/');
            }

            var address = services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses
                .FirstOrDefault(a => !a.EndsWith(":0", StringComparison.Ordinal));
            if (address is null)
            {
                return null;
            }

            foreach (var wildcard in new[] { "://+:", "://*:", "://0.0.0.0:", "://[::]:" })
            {
                address = address.Replace(wildcard, $"://{Environment.MachineName}:", StringComparison.Ordinal);
            }

            return address.TrimEnd('/');
        }
    }
}
