using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Security;
using System.Text;
using System.Xml.Linq;

namespace Footage.Milestone.ImageServer;

/// <summary>
/// One TCP connection to a recorder's ImageServer (the port of its WebServerUri, TLS when that is https).
/// Requests are one XML <c>methodcall</c> followed by CRLF CRLF; answers are an XML <c>methodresponse</c>
/// (connect, connectupdate) or an <c>ImageResponse</c> with header lines and a GenericByteData body.
/// </summary>
public sealed class ImageServerConnection : IAsyncDisposable
{
    private static readonly byte[] Trailer = "\r\n\r\n"u8.ToArray();
    private const int MaxSkippedMessages = 1000;
    private const int MaxParts = 4096;
    private readonly TcpClient _tcp;
    private readonly Stream _stream;
    private readonly ProtocolReader _reader;
    private int _requestId;

    private ImageServerConnection(TcpClient tcp, Stream stream, TimeSpan readTimeout)
    {
        _tcp = tcp;
        _stream = stream;
        _reader = new ProtocolReader(stream, readTimeout);
    }

    /// <summary>The session token this connection was opened or last updated with.</summary>
    public string? Token { get; private set; }

    public long BytesRead => _reader.BytesRead;

    public static async Task<ImageServerConnection> OpenAsync(Uri recorder, bool acceptAnyCertificate, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // disposed here unless the connection took them: a failed or cancelled open leaves no socket behind
        TcpClient? tcp = new() { NoDelay = true };
        SslStream? tls = null;
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            await tcp.ConnectAsync(recorder.Host, recorder.Port, deadline.Token);
            Stream stream = tcp.GetStream();
            if (recorder.Scheme == Uri.UriSchemeHttps)
            {
#pragma warning disable CA2000 // disposed in the finally below unless the connection took it
                tls = new SslStream(stream, leaveInnerStreamOpen: false);
#pragma warning restore CA2000
#pragma warning disable CA5359 // an explicit opt-in setting: XProtect recorders ship with self-signed certificates
                await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                {
                    TargetHost = recorder.Host,
                    RemoteCertificateValidationCallback = acceptAnyCertificate ? (_, _, _, _) => true : null,
                }, deadline.Token);
#pragma warning restore CA5359
                stream = tls;
            }

            var connection = new ImageServerConnection(tcp, stream, timeout);
            tcp = null;
            tls = null;
            return connection;
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or System.Security.Authentication.AuthenticationException && !cancellationToken.IsCancellationRequested)
        {
            throw new MilestoneException(MilestoneFailure.Unreachable, $"The ImageServer at {recorder.Host}:{recorder.Port} cannot be reached: {e.Message}", e);
        }
        finally
        {
            if (tls is not null)
            {
                await tls.DisposeAsync();
            }

            tcp?.Dispose();
        }
    }

    /// <summary>Opens the camera's recordings on this connection with a session token; throws when Milestone says no.</summary>
    public async Task ConnectAsync(Guid deviceId, string token, CancellationToken cancellationToken)
    {
        var id = await SendAsync("connect",
        [
            new XElement("username", "a"),
            new XElement("password", "a"),
            new XElement("cameraid", deviceId.ToString("D")),
            new XElement("alwaysstdjpeg", "no"),
            new XElement("connectparam", ConnectParam(deviceId, token)),
        ], cancellationToken);
        await ExpectConnectedAsync("connect", id, deviceId, cancellationToken);
        Token = token;
    }

    /// <summary>Hands a renewed session token to the open connection (<c>connectupdate</c>).</summary>
    public async Task ConnectUpdateAsync(Guid deviceId, string token, CancellationToken cancellationToken)
    {
        var id = await SendAsync("connectupdate", [new XElement("connectparam", ConnectParam(deviceId, token))], cancellationToken);
        await ExpectConnectedAsync("connectupdate", id, deviceId, cancellationToken);
        Token = token;
    }

    /// <summary>The recorded image at or before <paramref name="time"/> (in a gap: the last one before it).</summary>
    public async Task<ImageResponse> GotoAsync(DateTimeOffset time, CancellationToken cancellationToken)
    {
        var id = await SendAsync("goto", [new XElement("time", time.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture))], cancellationToken);
        return await ReadImageAsync("goto", id, cancellationToken);
    }

    public async Task<ImageResponse> NextAsync(CancellationToken cancellationToken)
    {
        var id = await SendAsync("next", [], cancellationToken);
        return await ReadImageAsync("next", id, cancellationToken);
    }

    /// <summary>Starts live video: frames and <c>livepackage</c> status messages follow until <see cref="StopAsync"/>.</summary>
    public Task StartLiveAsync(CancellationToken cancellationToken) =>
        SendAsync("live", [new XElement("compressionrate", "100")], cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => SendAsync("stop", [], cancellationToken);

    /// <summary>The next message of a live stream: a frame, or the status items of a <c>livepackage</c>.</summary>
    public async Task<LiveMessage> ReadLiveAsync(CancellationToken cancellationToken)
    {
        var first = await _reader.ReadLineAsync(cancellationToken);
        if (first.StartsWith("ImageResponse", StringComparison.Ordinal))
        {
            return new LiveMessage(await ReadImageBodyAsync(cancellationToken), null);
        }

        var xml = Parse(await ReadXmlAfterAsync(first, cancellationToken), "live");
        var status = xml.Descendants("statusitem")
            .Select(i => (Id: (int?)i.Attribute("id") ?? 0, Value: (string?)i.Attribute("value") ?? string.Empty))
            .ToDictionary(i => i.Id, i => i.Value);
        return new LiveMessage(null, status);
    }

    private async Task ExpectConnectedAsync(string method, int requestId, Guid deviceId, CancellationToken cancellationToken)
    {
        var answer = Parse(await _reader.ReadBlockAsync(cancellationToken), method);
        for (var skipped = 0; !AnswersRequest(answer, method, requestId); skipped++)
        {
            if (skipped >= MaxSkippedMessages)
            {
                throw new MilestoneException(MilestoneFailure.Protocol, $"The ImageServer sent {skipped} messages without answering {method}.");
            }

            MilestoneMetrics.Skipped.WithLabels("message").Inc();
            answer = Parse(await _reader.ReadBlockAsync(cancellationToken), method);
        }

        if (string.Equals(answer.Element("connected")?.Value, "yes", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        var reason = answer.Element("errorreason")?.Value.Trim() ?? "no reason given";
        throw new MilestoneException(FailureOf(reason), $"Milestone's ImageServer refused to {method} camera {deviceId}: {reason}.");
    }

    /// <summary>Milestone's reasons are free text; these words are what its documentation and samples show.</summary>
    private static MilestoneFailure FailureOf(string reason) => reason switch
    {
        _ when reason.Contains("expired", StringComparison.OrdinalIgnoreCase) => MilestoneFailure.TokenExpired,
        _ when reason.Contains("token", StringComparison.OrdinalIgnoreCase) => MilestoneFailure.TokenInvalid,
        _ when reason.Contains("camera", StringComparison.OrdinalIgnoreCase) || reason.Contains("device", StringComparison.OrdinalIgnoreCase) => MilestoneFailure.UnknownCamera,
        _ => MilestoneFailure.Refused,
    };

    /// <summary>
    /// The answer to an image request. A recorder may send other messages on the connection first (a <c>livepackage</c>, the
    /// answer to another request): they are skipped. An XML answer to this request is its error.
    /// </summary>
    private async Task<ImageResponse> ReadImageAsync(string method, int requestId, CancellationToken cancellationToken)
    {
        for (var skipped = 0; ; skipped++)
        {
            if (skipped > MaxSkippedMessages)
            {
                throw new MilestoneException(MilestoneFailure.Protocol, $"The ImageServer sent {skipped} messages without answering {method}.");
            }

            var first = await _reader.ReadLineAsync(cancellationToken);
            if (first.Length == 0)
            {
                continue; // a stray line end between messages
            }

            if (first.StartsWith('<'))
            {
                var answer = Parse(await ReadXmlAfterAsync(first, cancellationToken), method);
                if (!AnswersRequest(answer, method, requestId))
                {
                    MilestoneMetrics.Skipped.WithLabels("message").Inc();
                    continue;
                }

                var reason = answer.Element("errorreason")?.Value ?? answer.ToString(SaveOptions.DisableFormatting);
                throw new MilestoneException(FailureOf(reason), $"Milestone's ImageServer answered {method} with an error: {reason}.");
            }

            if (!first.StartsWith("ImageResponse", StringComparison.Ordinal))
            {
                throw new MilestoneException(MilestoneFailure.Protocol, $"The ImageServer answered '{Truncate(first)}' instead of ImageResponse.");
            }

            return await ReadImageBodyAsync(cancellationToken);
        }
    }

    /// <summary>A <c>methodresponse</c> with this request's id (or, without an id, this method's name).</summary>
    private static bool AnswersRequest(XElement answer, string method, int requestId) =>
        answer.Name.LocalName == "methodresponse"
        && (answer.Element("requestid")?.Value.Trim() is { Length: > 0 } id
            ? id == requestId.ToString(CultureInfo.InvariantCulture)
            : answer.Element("methodname")?.Value.Trim() == method);

    /// <summary>An XML message whose first line was already read: the lines up to the blank line of its CRLF CRLF end.</summary>
    private async Task<string> ReadXmlAfterAsync(string first, CancellationToken cancellationToken)
    {
        var text = new StringBuilder(first);
        while (true)
        {
            var line = await _reader.ReadLineAsync(cancellationToken);
            if (line.Length == 0)
            {
                return text.ToString();
            }

            text.Append('\n').Append(line);
        }
    }

    private async Task<ImageResponse> ReadImageBodyAsync(CancellationToken cancellationToken)
    {
        var headers = await ReadHeadersAsync(cancellationToken);
        var current = Header(headers, "Current");
        headers.TryGetValue("Content-type", out var contentType);
        var bodies = new List<byte[]>();
        if (contentType?.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase) == true)
        {
            await ReadPartsAsync(contentType, bodies, cancellationToken);
        }
        else
        {
            var length = (int)Header(headers, "Content-length");
            if (length > 0)
            {
                bodies.Add(await _reader.ReadExactlyAsync(length, cancellationToken));
            }

            await _reader.ExpectAsync(Trailer, "CRLF CRLF", cancellationToken);
        }

        var frames = new List<VideoFrame>();
        var skipped = 0;
        foreach (var body in bodies)
        {
            MilestoneMetrics.Bytes.Inc(body.Length);
            if (body.Length >= 2 && body[0] == 0xFF && body[1] == 0xD8)
            {
                // a JPEG picture, whatever the content type says (some recorders send bare JPEG under the GenericByteData type)
                frames.Add(new VideoFrame(current, true, VideoCodec.Jpeg, body));
                continue;
            }

            var contents = GenericByteData.Read(body);
            // one frame: the answer's Current is its time; in a whole GOP each packet carries its own
            frames.AddRange(contents.Video.Select(p => new VideoFrame(bodies.Count > 1 && p.PictureTimestamp > 0 ? p.PictureTimestamp : current, p.IsKey, (VideoCodec)p.Codec, p.Payload)));
            skipped += contents.Audio + contents.Metadata;
            MilestoneMetrics.Skipped.WithLabels("audio").Inc(contents.Audio);
            MilestoneMetrics.Skipped.WithLabels("metadata").Inc(contents.Metadata);
        }

        MilestoneMetrics.Frames.Inc(frames.Count);
        var prev = headers.TryGetValue("Prev", out var p) && long.TryParse(p, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : (long?)null;
        return new ImageResponse(prev, current, Header(headers, "Next"), contentType, frames, skipped);
    }

    /// <summary>Header lines up to the blank line.</summary>
    private async Task<Dictionary<string, string>> ReadHeadersAsync(CancellationToken cancellationToken)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var count = 0; ; count++)
        {
            var line = await _reader.ReadLineAsync(cancellationToken);
            if (line.Length == 0)
            {
                return headers;
            }

            if (count > 64)
            {
                throw new MilestoneException(MilestoneFailure.Protocol, "The ImageServer sent more than 64 header lines.");
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
        }
    }

    /// <summary>The parts of a <c>multipart/related</c> answer: <c>--boundary</c>, part headers, body, up to <c>--boundary--</c> and CRLF.</summary>
    private async Task ReadPartsAsync(string contentType, List<byte[]> bodies, CancellationToken cancellationToken)
    {
        var at = contentType.IndexOf("boundary=", StringComparison.OrdinalIgnoreCase);
        var boundary = at < 0 ? string.Empty : contentType[(at + "boundary=".Length)..].Split(';')[0].Trim().Trim('"');
        if (boundary.Length == 0)
        {
            throw new MilestoneException(MilestoneFailure.Protocol, $"The ImageServer sent '{contentType}' without a boundary.");
        }

        while (true)
        {
            var line = await _reader.ReadLineAsync(cancellationToken);
            if (line.Length == 0)
            {
                continue;
            }

            if (line == $"--{boundary}--")
            {
                await _reader.ExpectAsync("\r\n"u8.ToArray(), "CRLF", cancellationToken);
                return;
            }

            if (line != $"--{boundary}" || bodies.Count >= MaxParts)
            {
                throw new MilestoneException(MilestoneFailure.Protocol, $"The ImageServer's multipart answer is broken at '{Truncate(line)}'.");
            }

            var length = (int)Header(await ReadHeadersAsync(cancellationToken), "Content-length");
            bodies.Add(await _reader.ReadExactlyAsync(length, cancellationToken));
        }
    }

    private static long Header(Dictionary<string, string> headers, string name) =>
        headers.TryGetValue(name, out var value) && long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new MilestoneException(MilestoneFailure.Protocol, $"An ImageResponse lacks a numeric {name} header.");

    private async Task<int> SendAsync(string method, IEnumerable<XElement> parameters, CancellationToken cancellationToken)
    {
        var id = ++_requestId;
        var call = new XElement("methodcall", new XElement("requestid", id), new XElement("methodname", method), parameters);
        var text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + call.ToString(SaveOptions.DisableFormatting) + "\r\n\r\n";
        try
        {
            await _stream.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
            await _stream.FlushAsync(cancellationToken);
            return id;
        }
        catch (IOException e)
        {
            throw new MilestoneException(MilestoneFailure.Unreachable, $"The ImageServer connection failed while sending {method}: {e.Message}", e);
        }
    }

    private static XElement Parse(string text, string method)
    {
        try
        {
            return XDocument.Parse(text.TrimStart('\uFEFF')).Root!;
        }
        catch (System.Xml.XmlException)
        {
            throw new MilestoneException(MilestoneFailure.Protocol, $"The ImageServer's answer to {method} is not XML: '{Truncate(text)}'.");
        }
    }

    private static string ConnectParam(Guid deviceId, string token) => $"id={deviceId:D}&connectiontoken={token}";

    private static string Truncate(string text) => text.Length <= 80 ? text : text[..80] + "...";

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _tcp.Dispose();
    }
}
