using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;

namespace Footage.ServiceDefaults.Security;

/// <summary>
/// The client a request comes from, as the limits and the audit of refusals count it: an IPv4 address, or the /64
/// network of an IPv6 one (one host is usually given a whole /64, so counting single IPv6 addresses would count nothing).
/// </summary>
public static class ClientAddress
{
    public static string Of(HttpContext context) => Of(context.Connection.RemoteIpAddress);

    public static string Of(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
