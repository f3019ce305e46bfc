using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;

namespace Footage.Hardening.Tests.Security;

/// <summary>
/// An HTTP client whose connections come from another loopback address (127.0.0.2, ...): Linux routes all of 127/8 to the
/// loopback interface, so a host on 127.0.0.1 sees separate clients, as the per-address limits count them.
/// </summary>
public static class ClientFrom
{
    public static HttpClient Address(Uri baseAddress, string sourceAddress, string? apiKey = null)
    {
        var source = IPAddress.Parse(sourceAddress);
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(source, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        var client = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        }

        return client;
    }
}
