using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Footage.Storage.Tests.Backends;

/// <summary>
/// A TCP relay in front of a server that counts how often a marker (for example "partNumber=") appears in
/// what clients send: enough to see which requests an S3 client made without touching the client.
/// </summary>
public sealed class RequestCountingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly byte[] _marker;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _count;

    public RequestCountingProxy(int targetPort, string marker)
    {
        _targetPort = targetPort;
        _marker = Encoding.ASCII.GetBytes(marker);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    public int Count => Volatile.Read(ref _count);

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                _ = RelayAsync(client);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using (client)
        using (var server = new TcpClient())
        {
            try
            {
                await server.ConnectAsync(IPAddress.Loopback, _targetPort, _stop.Token);
                var up = PumpAsync(client.GetStream(), server.GetStream(), count: true);
                var down = PumpAsync(server.GetStream(), client.GetStream(), count: false);
                await Task.WhenAny(up, down);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
            {
                // a side closed: the relay of this connection is over
            }
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to, bool count)
    {
        var buffer = new byte[1 << 16];
        var carry = Array.Empty<byte>();
        int read;
        while ((read = await from.ReadAsync(buffer, _stop.Token)) > 0)
        {
            if (count)
            {
                // search the new bytes plus the tail of the previous read, so a marker split across reads is found once
                var window = carry.Concat(buffer.Take(read)).ToArray();
                var span = window.AsSpan();
                int at;
                while ((at = span.IndexOf(_marker)) >= 0)
                {
                    Interlocked.Increment(ref _count);
                    span = span[(at + _marker.Length)..];
                }

                carry = span.Length >= _marker.Length ? span[^(_marker.Length - 1)..].ToArray() : span.ToArray();
            }

            await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
        }

        to.Socket.Shutdown(SocketShutdown.Send);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
