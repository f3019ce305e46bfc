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
/// A camera's <see cref="RecorderQuirks"/> change the answers the way real recorders do.
/// </summary>
internal sealed class ImageServerSession(IDuplexPipe transport, MilestoneSimulator simulator) : IDisposable
{
    private const string Boundary = "simulated-gop";
    private readonly Stream _input = transport.Input.AsStream();
    private readonly Stream _output = transport.Output.AsStream();
    private CameraTimeline? _timeline;
    private Guid _device;
    private string? _token;
    private long _index = -1;
    private long _extraSentFor = -1;
    private int _answers;
    private ushort _sequence;
    private CancellationTokenSource? _live;
    private Task _liveTask = Task.CompletedTask;
    private readonly SemaphoreSlim _write = new(1, 1);

    private RecorderQuirks Quirks => _timeline?.Camera.Quirks ?? RecorderQuirks.None;

    private long Count => _timeline?.Count ?? 0;

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
            if (_live is not null)
            {
                await _live.CancelAsync();
            }

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
                    simulator.Recordings.TryGet(device, out var timeline);
                    _timeline = timeline;
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

                await UnrelatedXmlAsync(cancellationToken);
                return method == "goto"
                    ? await GotoAsync(id, long.Parse(call.Element("time")?.Value ?? "0", CultureInfo.InvariantCulture), cancellationToken)
                    : await NextAsync(id, cancellationToken);
            case "live":
                _live = new CancellationTokenSource();
                var live = _live.Token;
                _liveTask = Task.Run(() => LiveAsync(id, live), CancellationToken.None);
                return true;
            case "stop":
                if (_live is not null)
                {
                    await _live.CancelAsync();
                }

                await _liveTask.ContinueWith(_ => { }, TaskScheduler.Default);
                return true;
            default:
                await WriteXmlAsync(new XElement("methodresponse", new XElement("requestid", id), new XElement("methodname", method), new XElement("errorreason", "Unknown method")), cancellationToken);
                return true;
        }
    }

    private async Task<bool> GotoAsync(string id, long time, CancellationToken cancellationToken)
    {
        _index = Count == 0 ? -1 : Math.Max(0, _timeline!.IndexAtOrBefore(time));
        if (_index >= 0 && Quirks.HasFlag(RecorderQuirks.GotoWholeGop))
        {
            simulator.Count("quirk_goto_whole_gop");
            return await WriteGopAsync(id, _timeline!.KeyFrameOf(_index), _index, cancellationToken);
        }

        if (_index >= 0 && Quirks.HasFlag(RecorderQuirks.GotoKeyFrame))
        {
            simulator.Count("quirk_goto_key_frame");
            _index = _timeline!.KeyFrameOf(_index);
        }

        return await WriteImageAsync(id, _index, cancellationToken);
    }

    private async Task<bool> NextAsync(string id, CancellationToken cancellationToken)
    {
        if (Count > 0 && _index + 1 < Count && _extraSentFor != _index + 1)
        {
            // audio or metadata the recorder holds between two video frames comes first, in an answer of its own
            var extra = ((_index + 1) % 10) switch
            {
                3 when Quirks.HasFlag(RecorderQuirks.AudioPackets) => GenericByteData.Audio(this[_index].TimeMilliseconds, _sequence++),
                7 when Quirks.HasFlag(RecorderQuirks.MetadataPackets) => GenericByteData.Metadata(this[_index].TimeMilliseconds, _sequence++),
                _ => null,
            };
            if (extra is not null)
            {
                _extraSentFor = _index + 1;
                simulator.Count("quirk_extra_packet");
                await WriteAnswerAsync(id, this[_index], this[_index + 1].TimeMilliseconds, "application/x-genericbytedata-octet-stream", extra, cancellationToken);
                return true;
            }
        }

        if (Count > 0)
        {
            _index = Math.Min(Count - 1, _index + 1);
        }

        return await WriteImageAsync(id, _index, cancellationToken);
    }

    private RecordedFrame this[long index] => _timeline![index];

    private string? TokenProblem() => simulator.Tokens.Check(_token) switch
    {
        0 => null,
        3 => "Token expired",
        _ => "Token invalid",
    };

    /// <summary>Messages a recorder may send on the connection whatever was asked: a status package, the answer to another request.</summary>
    private async Task UnrelatedXmlAsync(CancellationToken cancellationToken)
    {
        if (!Quirks.HasFlag(RecorderQuirks.UnrelatedXml) || ++_answers % 4 != 0)
        {
            return;
        }

        simulator.Count("quirk_unrelated_xml");
        await WriteXmlAsync(_answers % 8 == 0
            ? new XElement("livepackage", new XElement("status", new XElement("statustime", simulator.Clock.GetUtcNow().ToUnixTimeMilliseconds()),
                new XElement("statusitem", new XAttribute("id", 1), new XAttribute("value", 1)), new XElement("statusitem", new XAttribute("id", 5), new XAttribute("value", 0))))
            : new XElement("methodresponse", new XElement("requestid", 0), new XElement("methodname", "connectupdate"), new XElement("connected", "yes")), cancellationToken);
    }

    /// <summary>Live video: the clip's frames stamped with the present time, at the clip's pace, with a status package first.</summary>
    private async Task LiveAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            await WriteXmlAsync(new XElement("livepackage", new XElement("status", new XElement("statusitem", new XAttribute("id", 1), new XAttribute("value", "yes")))), cancellationToken);
            for (var i = 0L; !cancellationToken.IsCancellationRequested && Count > 0; i = (i + 1) % Count)
            {
                var now = simulator.Clock.GetUtcNow().ToUnixTimeMilliseconds();
                var frame = this[i] with { TimeMilliseconds = now, GopTimeMilliseconds = now };
                var fault = simulator.Faults.NextImage();
                if (fault == ImageFault.LiveCameraLost)
                {
                    await WriteXmlAsync(new XElement("livepackage", new XElement("status", new XElement("statusitem", new XAttribute("id", 5), new XAttribute("value", "yes")))), cancellationToken);
                    return;
                }

                await _write.WaitAsync(cancellationToken);
                try
                {
                    await WriteAnswerAsync(id, frame with { TimeMilliseconds = now - 40 }, now + 40, "application/x-genericbytedata-octet-stream",
                        GenericByteData.Video(frame, _sequence++), cancellationToken, current: frame);
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

    private async Task<bool> WriteImageAsync(string id, long index, CancellationToken cancellationToken)
    {
        if (index < 0)
        {
            await WriteRawAsync(Encoding.ASCII.GetBytes($"ImageResponse\r\nRequestId: {id}\r\nPrev: 0\r\nCurrent: 0\r\nNext: 0\r\nContent-length: 0\r\nContent-type: application/x-genericbytedata-octet-stream\r\n\r\n\r\n\r\n"), cancellationToken);
            return true;
        }

        var frame = this[index];
        var previous = index > 0 ? this[index - 1] : frame;
        var next = index + 1 < Count ? this[index + 1].TimeMilliseconds : frame.TimeMilliseconds;
        var fault = simulator.Faults.NextImage();
        if (fault == ImageFault.Stall)
        {
            simulator.Count("fault_stall");
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        var (type, body) = Body(frame);
        var head = Head(id, previous.TimeMilliseconds, frame.TimeMilliseconds, next, type, body.Length);
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

    /// <summary>Frames <paramref name="first"/> to <paramref name="last"/> in one multipart/related answer, one GenericByteData packet a part.</summary>
    private async Task<bool> WriteGopAsync(string id, long first, long last, CancellationToken cancellationToken)
    {
        simulator.Faults.NextImage();
        var key = this[first];
        var prev = first > 0 ? this[first - 1].TimeMilliseconds : key.TimeMilliseconds;
        var next = last + 1 < Count ? this[last + 1].TimeMilliseconds : this[last].TimeMilliseconds;
        var text = new StringBuilder("ImageResponse\r\n").Append(CultureInfo.InvariantCulture, $"RequestId: {id}\r\n");
        if (!Quirks.HasFlag(RecorderQuirks.NoPrev))
        {
            text.Append(CultureInfo.InvariantCulture, $"Prev: {prev}\r\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"Current: {key.TimeMilliseconds}\r\nNext: {next}\r\nContent-type: multipart/related; boundary={Boundary}\r\n\r\n");
        var bytes = new List<byte>(Encoding.ASCII.GetBytes(text.ToString()));
        for (var i = first; i <= last; i++)
        {
            var (type, body) = Body(this[i]);
            bytes.AddRange(Encoding.ASCII.GetBytes($"--{Boundary}\r\nContent-type: {type}\r\nContent-length: {body.Length}\r\n\r\n"));
            bytes.AddRange(body);
            bytes.AddRange("\r\n"u8.ToArray());
        }

        bytes.AddRange(Encoding.ASCII.GetBytes($"--{Boundary}--\r\n\r\n"));
        await WriteRawAsync([.. bytes], cancellationToken);
        return true;
    }

    private Task WriteAnswerAsync(string id, RecordedFrame previous, long next, string type, byte[] body, CancellationToken cancellationToken, RecordedFrame? current = null) =>
        WriteRawAsync([.. Head(id, previous.TimeMilliseconds, (current ?? previous).TimeMilliseconds, next, type, body.Length), .. body, .. "\r\n\r\n"u8], cancellationToken);

    private byte[] Head(string id, long prev, long current, long next, string type, int length)
    {
        var text = new StringBuilder("ImageResponse\r\n").Append(CultureInfo.InvariantCulture, $"RequestId: {id}\r\n");
        if (!Quirks.HasFlag(RecorderQuirks.NoPrev))
        {
            text.Append(CultureInfo.InvariantCulture, $"Prev: {prev}\r\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"Current: {current}\r\nNext: {next}\r\nContent-length: {length}\r\nContent-type: {type}\r\n\r\n");
        return Encoding.ASCII.GetBytes(text.ToString());
    }

    /// <summary>The body of an image answer and its content type, as this camera's recorder packs it.</summary>
    private (string Type, byte[] Body) Body(RecordedFrame frame)
    {
        const string generic = "application/x-genericbytedata-octet-stream";
        var quirks = Quirks;
        if (quirks.HasFlag(RecorderQuirks.BareJpeg) && frame.Codec == 0x0001)
        {
            return (generic, frame.Data); // bare JPEG under the GenericByteData type: only its first bytes say what it is
        }

        if (quirks.HasFlag(RecorderQuirks.LegacyVideoBlocks))
        {
            return (generic, GenericByteData.VideoBlock(frame, _sequence++));
        }

        var video = GenericByteData.Video(frame, _sequence++);
        return (generic, quirks.HasFlag(RecorderQuirks.MultiPacket) ? GenericByteData.Multi(video, GenericByteData.Audio(frame.TimeMilliseconds, _sequence++)) : video);
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
