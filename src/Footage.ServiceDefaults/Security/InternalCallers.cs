using System.Net;
using Footage.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Footage.ServiceDefaults.Security;

/// <summary>
/// Who may read what is for the inside (the detailed <c>/health</c>, <c>/metrics</c>, the OpenAPI document): a caller
/// from <see cref="SecurityOptions.InternalNetworks"/> (loopback included), or an admin from anywhere. The address is the
/// client's as the forwarded headers give it; a trusted proxy's own address is never internal, so a request that reached
/// the proxy from outside stays outside whatever the proxy left out.
/// </summary>
public sealed class InternalCallers(IOptions<SecurityOptions> options)
{
    public const string Policy = "internal-or-admin";

    private readonly IPNetwork[] _internal = options.Value.InternalNetworkList().ToArray();
    private readonly IPNetwork[] _proxies = options.Value.TrustedProxyNetworks().ToArray();

    public bool Allows(HttpContext context) =>
        IsInternal(context.Connection.RemoteIpAddress) || Roles.AtLeast(Roles.Admin).Any(context.User.IsInRole);

    public bool IsInternal(IPAddress? address)
    {
        if (address is null)
        {
            return false;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return !_proxies.Any(p => p.Contains(address)) && _internal.Any(n => n.Contains(address));
    }
}
