using System.Buffers.Binary;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using System.Xml.Linq;

namespace Footage.Milestone.Simulator;

/// <summary>
/// One ImageServer connection of the simulated recorder, after Milestone's "ImageServer request/response"
/// documentation: <c>connect</c>, <c>goto</c>, <c>next</c>, <c>live</c>/<c>stop</c> and <c>connectupdate</c>. Answers
/// images as <c>ImageResponse</c> with Prev/Current/Next and a GenericByteData body. Behaviour taken from the notes:
/// <c>goto</c> into a gap gives the frame before it; before the first frame it gives the first frame (unverified);
/// with nothing recorded all times are 0 and the body empty; at the end <c>next</c> repeats the last frame.
/// An expired or revoked token on an open connection is answered with an <c>errorreason</c> (unverified).
/// </summary>
internal sealed class ImageServerSession(IDuplexPipe transport, MilestoneSimulator simulator) : IDisposable
{
    private readonly Stream _input = transport.Input.AsStream();
    private readonly Stream _output = transport.Output.AsStream();
    private RecordedFrame[] _frames = [];
    private Guid _device;
    private string? _token;
    private int _index = -1;
    private ushort _sequence;
    private CancellationTokenSource? _live;
    private Task _liveTask = Task.CompletedTask;
    private readonly SemaphoreSlim _write = new(1, 1);

    public void Dispose()
    {
        _live?.Dispose();
        _write.Dispose();
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        simulator.Count("imageserver_connection");
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var text = await ReadRequestAsync(cancellationToken);
                if (text is null)
                {
                    return;
                }

                var call = XDocument.Parse(text).Root!;
                var id = call.Element("requestid")?.Value ?? "0";
                var method = call.Element("methodname")?.Value ?? string.Empty;
                simulator.Count(method);
                if (!await HandleAsync(method, id, call, cancellationToken))
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or Microsoft.AspNetCore.Connections.ConnectionAbortedException)
        {
            // the client went away
        }
        finally
        {
            _live?.Cancel();
            await _liveTask.ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    /// <returns>false when the connection is to be closed (a fault fired).</returns>
    private async Task<bool> HandleAsync(string method, string id, XElement call, CancellationToken cancellationToken)
    {
        switch (method)
        {
            case "connect":
            case "connectupdate":
                var param = call.Element("connectparam")?.Value ?? string.Empty;
                var token = param.Split('&').Select(p => p.Split('=', 2)).FirstOrDefault(p => p[0] == "connectiontoken") is { Length: 2 } t ? t[1] : null;
                var device = method == "connect" ? (Guid.TryParse(call.Element("cameraid")?.Value, out var d) ? d : Guid.Empty) : _device;
                var check = simulator.Tokens.Check(token);
                string? reason = check switch
                {
                    2 => "Token invalid",
                    3 => "Token expired",
                    _ => simulator.Recordings.TryGet(device, out _) ? null : $"Unknown camera {device}",
                };
                if (reason is null)
                {
                    _device = device;
                    _token = token;
                    simulator.Recordings.TryGet(device, out _frames);
                }

                await WriteXmlAsync(new XElement("methodresponse", new XElement("requestid", id), new XElement("methodname", method),
                    new XElement("connected", reason is null ? "yes" : "no"), reason is null ? null : new XElement("errorreason", reason)), cancellationToken);
                return true;
            case "goto":
            case "next":
                if (TokenProblem() is { } problem)
                {
                    await WriteXmlAsync(new XElement("methodresponse", new XElement("requestid", id), new XElement("methodname", method), new XElement("errorreason", problem)), cancellationToken);
                    return true;
                }

                if (method == "goto")
                {
                    var time = long.Parse(call.Element("time")?.Value ?? "0", CultureInfo.InvariantCulture);
                    _index = _frames.Length == 0 ? -1 : Math.Max(0, Array.FindLastIndex(_frames, f => f.TimeMilliseconds <= time));
                }
                else if (_frames.Length > 0)
                {
                    _index = Math.Min(_frames.Length - 1, _index + 1);
                }

                return await WriteImageAsync(id, _index, cancellationToken);
            case "live":
                _live = new CancellationTokenSource();
                var live = _live.Token;
                _liveTask = Task.Run(() => LiveAsync(id, live), CancellationToken.None);
                return true;
            case "stop":
                _live?.Cancel();
                await _liveTask.ContinueWith(_ => { }, TaskScheduler.Default);
                return true;
            default:
                await WriteXmlAsync(new XElement("methodresponse", new XElement("requestid", id), new XElement("methodname", method), new XElement("errorreason", "Unknown method")), cancellationToken);
                return true;
        }
    }

    private string? TokenProblem() => simulator.Tokens.Check(_token) switch
    {
        0 => null,
        3 => "Token expired",
        _ => "Token invalid",
    };

    /// <summary>Live video: the clip's frames stamped with the present time, at the clip's pace, with a status package first.</summary>
    private async Task LiveAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            await WriteXmlAsync(new XElement("livepackage", new XElement("status", new XElement("statusitem", new XAttribute("id", 1), new XAttribute("value", "yes")))), cancellationToken);
            for (var i = 0; !cancellationToken.IsCancellationRequested && _frames.Length > 0; i = (i + 1) % _frames.Length)
            {
                var now = simulator.Clock.GetUtcNow().ToUnixTimeMilliseconds();
                var frame = _frames[i] with { TimeMilliseconds = now };
                var fault = simulator.Faults.NextImage();
                if (fault == ImageFault.LiveCameraLost)
                {
                    await WriteXmlAsync(new XElement("livepackage", new XElement("status", new XElement("statusitem", new XAttribute("id", 5), new XAttribute("value", "yes")))), cancellationToken);
                    return;
                }

                await _write.WaitAsync(cancellationToken);
                try
                {
                    await WriteImageBytesAsync(id, now - 40, frame, now + 40, null, cancellationToken);
                }
                finally
                {
                    _write.Release();
                }

                await Task.Delay(TimeSpan.FromMilliseconds(40), cancellationToken);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // stopped
        }
    }

    private async Task<bool> WriteImageAsync(string id, int index, CancellationToken cancellationToken)
    {
        if (index < 0)
        {
            await WriteRawAsync(Encoding.ASCII.GetBytes($"ImageResponse\r\nRequestId: {id}\r\nPrev: 0\r\nCurrent: 0\r\nNext: 0\r\nContent-length: 0\r\nContent-type: application/x-genericbytedata-octet-stream\r\n\r\n\r\n\r\n"), cancellationToken);
            return true;
        }

        var frame = _frames[index];
        var prev = index > 0 ? _frames[index - 1].TimeMilliseconds : frame.TimeMilliseconds;
        var next = index + 1 < _frames.Length ? _frames[index + 1].TimeMilliseconds : frame.TimeMilliseconds;
        var fault = simulator.Faults.NextImage();
        if (fault == ImageFault.Stall)
        {
            simulator.Count("fault_stall");
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        return await WriteImageBytesAsync(id, prev, frame, next, fault, cancellationToken);
    }

    private async Task<bool> WriteImageBytesAsync(string id, long prev, RecordedFrame frame, long next, ImageFault? fault, CancellationToken cancellationToken)
    {
        var body = GenericByteData(frame);
        var head = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"ImageResponse\r\nRequestId: {id}\r\nPrev: {prev}\r\nCurrent: {frame.TimeMilliseconds}\r\nNext: {next}\r\nContent-length: {body.Length}\r\nContent-type: application/x-genericbytedata-octet-stream\r\n\r\n"));
        switch (fault)
        {
            case ImageFault.CloseMidFrame:
                simulator.Count("fault_close_mid_frame");
                await WriteRawAsync([.. head, .. body.AsSpan(0, body.Length / 2)], cancellationToken);
                return false;
            case ImageFault.TruncatedTrailer:
                simulator.Count("fault_truncated_trailer");
                await WriteRawAsync([.. head, .. body, (byte)'\r', (byte)'\n'], cancellationToken);
                return false;
            default:
                await WriteRawAsync([.. head, .. body, .. "\r\n\r\n"u8], cancellationToken);
                return true;
        }
    }

    /// <summary>GenericByteData: 32-byte big-endian header (type 0x0010 video, length, codec, sequence, flags bit 0 = key, two ms timestamps, reserved) and the frame.</summary>
    private byte[] GenericByteData(RecordedFrame frame)
    {
        var bytes = new byte[32 + frame.Data.Length];
        var span = bytes.AsSpan();
        BinaryPrimitives.WriteUInt16BigEndian(span, 0x0010);
        BinaryPrimitives.WriteUInt32BigEndian(span[2..], (uint)bytes.Length);
        BinaryPrimitives.WriteUInt16BigEndian(span[6..], (ushort)(frame.Hevc ? 0x000E : 0x000A));
        BinaryPrimitives.WriteUInt16BigEndian(span[8..], _sequence++);
        BinaryPrimitives.WriteUInt16BigEndian(span[10..], (ushort)(frame.Key ? 1 : 0));
        BinaryPrimitives.WriteInt64BigEndian(span[12..], frame.TimeMilliseconds);
        BinaryPrimitives.WriteInt64BigEndian(span[20..], frame.TimeMilliseconds);
        frame.Data.CopyTo(span[32..]);
        return bytes;
    }

    private async Task WriteXmlAsync(XElement element, CancellationToken cancellationToken) =>
        await WriteRawAsync(Encoding.UTF8.GetBytes("<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + element.ToString(SaveOptions.DisableFormatting) + "\r\n\r\n"), cancellationToken);

    private async Task WriteRawAsync(byte[] bytes, CancellationToken cancellationToken)
    {
        await _output.WriteAsync(bytes, cancellationToken);
        await _output.FlushAsync(cancellationToken);
    }

    /// <summary>One request: bytes up to CRLF CRLF; null when the client closed the connection.</summary>
    private async Task<string?> ReadRequestAsync(CancellationToken cancellationToken)
    {
        var collected = new List<byte>();
        var one = new byte[1];
        while (true)
        {
            var read = await _input.ReadAsync(one, cancellationToken);
            if (read == 0)
            {
                return null;
            }

            collected.Add(one[0]);
            var n = collected.Count;
            if (n >= 4 && collected[n - 4] == '\r' && collected[n - 3] == '\n' && collected[n - 2] == '\r' && collected[n - 1] == '\n')
            {
                return Encoding.UTF8.GetString(collected.ToArray(), 0, n - 4);
            }
        }
    }
}
