using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Footage.Recording.Leases;

/// <summary>Who this recorder is in <c>camera_leases</c>, and where the other modules reach it.</summary>
public sealed class RecorderIdentity(IOptions<LeaseOptions> options, IServiceProvider services)
{
    public string Id { get; } = string.IsNullOrWhiteSpace(options.Value.RecorderId)
        ? $"{Environment.MachineName}-{Guid.NewGuid().ToString("N")[..8]}"
        : options.Value.RecorderId.Trim();

    /// <summary>The configured URL, else the first address Kestrel really listens on (none until it has started).</summary>
    public string? Url
    {
        get
        {
            if (!string.IsNullOrWhiteSpace(options.Value.RecorderUrl))
            {
                return options.Value.RecorderUrl.TrimEnd('/');
            }

            var addresses = services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses;
            return addresses?.FirstOrDefault(a => !a.EndsWith(":0", StringComparison.Ordinal) && !a.Contains("://+", StringComparison.Ordinal)
                && !a.Contains("://*", StringComparison.Ordinal) && !a.Contains("://0.0.0.0", StringComparison.Ordinal))?.TrimEnd('/');
        }
    }
}
