using System.Text;

namespace Footage.Milestone.ImageServer;

/// <summary>
/// Buffered reads of the ImageServer byte stream (lines, blocks up to CRLF CRLF, exact lengths). Every read has
/// a deadline: a server that stops sending is a stall, reported as <see cref="MilestoneFailure.Unreachable"/>.
/// </summary>
internal sealed class ProtocolReader(Stream stream, TimeSpan timeout)
{
    private static readonly byte[] BlankLine = "\r\n\r\n"u8.ToArray();
    private readonly byte[] _buffer = new byte[1 << 16];
    private int _start;
    private int _end;

    public long BytesRead { get; private set; }

    /// <summary>Bytes up to and without the next CRLF.</summary>
    public async Task<string> ReadLineAsync(CancellationToken cancellationToken) =>
        Encoding.UTF8.GetString(await ReadUntilAsync("\r\n"u8.ToArray(), 64 * 1024, cancellationToken));

    /// <summary>Bytes up to and without the next CRLF CRLF (one XML message).</summary>
    public async Task<string> ReadBlockAsync(CancellationToken cancellationToken) =>
        Encoding.UTF8.GetString(await ReadUntilAsync(BlankLine, 1 << 20, cancellationToken));

    public async Task<byte[]> ReadExactlyAsync(int count, CancellationToken cancellationToken)
    {
        var result = new byte[count];
        var copied = 0;
        while (copied < count)
        {
            if (_start == _end)
            {
                await FillAsync(cancellationToken);
            }

            var n = Math.Min(count - copied, _end - _start);
            Buffer.BlockCopy(_buffer, _start, result, copied, n);
            _start += n;
            copied += n;
        }

        return result;
    }

    /// <summary>Reads the two bytes CRLF or the four bytes CRLF CRLF that must follow; anything else is a protocol error.</summary>
    public async Task ExpectAsync(byte[] expected, string what, CancellationToken cancellationToken)
    {
        var actual = await ReadExactlyAsync(expected.Length, cancellationToken);
        if (!actual.AsSpan().SequenceEqual(expected))
        {
            throw new MilestoneException(MilestoneFailure.Protocol, $"The ImageServer sent no {what} after an image.");
        }
    }

    private async Task<byte[]> ReadUntilAsync(byte[] delimiter, int limit, CancellationToken cancellationToken)
    {
        var collected = new MemoryStream();
        while (true)
        {
            if (_start == _end)
            {
                await FillAsync(cancellationToken);
            }

            var span = _buffer.AsSpan(_start, _end - _start);
            var at = span.IndexOf(delimiter);
            if (at >= 0 && collected.Length == 0)
            {
                var line = span[..at].ToArray();
                _start += at + delimiter.Length;
                return line;
            }

            // the delimiter may straddle two reads: keep collecting and search the collected bytes
            collected.Write(span);
            _start = _end;
            var bytes = collected.GetBuffer().AsSpan(0, (int)collected.Length);
            var found = bytes.IndexOf(delimiter);
            if (found >= 0)
            {
                var rest = bytes[(found + delimiter.Length)..].ToArray();
                var line = bytes[..found].ToArray();
                Buffer.BlockCopy(rest, 0, _buffer, 0, rest.Length);
                _start = 0;
                _end = rest.Length;
                return line;
            }

            if (collected.Length > limit)
            {
                throw new MilestoneException(MilestoneFailure.Protocol, $"The ImageServer sent {collected.Length} bytes without a line end.");
            }
        }
    }

    private async Task FillAsync(CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        int read;
        try
        {
            read = await stream.ReadAsync(_buffer, deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new MilestoneException(MilestoneFailure.Unreachable, $"The ImageServer sent nothing for {timeout.TotalSeconds:0.#} s (stalled).");
        }
        catch (IOException e)
        {
            throw new MilestoneException(MilestoneFailure.Unreachable, $"The ImageServer connection failed: {e.Message}", e);
        }

        if (read == 0)
        {
            throw new MilestoneException(MilestoneFailure.Unreachable, "The ImageServer closed the connection in the middle of an answer.");
        }

        _start = 0;
        _end = read;
        BytesRead += read;
    }
}
