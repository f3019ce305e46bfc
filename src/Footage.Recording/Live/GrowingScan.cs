using Footage.Recording.Scanning;

namespace Footage.Recording.Live;

/// <summary>
/// The <see cref="TsScanner"/> index of a file ffmpeg is still writing, kept up to date incrementally: each call reads
/// only the bytes added since the last one, and only whole 188-byte packets (a packet being written waits for the next call).
/// </summary>
public sealed class GrowingScan(string path) : IDisposable
{
    private readonly TsScanner.ScanState _state = new();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _offset;
    private bool _broken;
    private TsScan _last = new(0, null, [], 0);

    public string Path { get; } = path;

    /// <summary>Reads what was appended since the last call and returns the scan of the whole file so far.</summary>
    public async Task<TsScan> AdvanceAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_broken)
            {
                return _last;
            }

            await using var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16, useAsync: true);
            var available = stream.Length - _offset;
            var whole = available / TsScanner.PacketSize * TsScanner.PacketSize;
            if (whole <= 0)
            {
                return _last;
            }

            stream.Position = _offset;
            var buffer = new byte[TsScanner.PacketSize * 512];
            var remaining = whole;
            while (remaining > 0)
            {
                var size = (int)Math.Min(buffer.Length, remaining);
                await stream.ReadExactlyAsync(buffer.AsMemory(0, size), cancellationToken);
                for (var i = 0; i < size; i += TsScanner.PacketSize)
                {
                    if (!_state.Packet(buffer.AsSpan(i, TsScanner.PacketSize), _offset + i))
                    {
                        // not a TS packet: the file is corrupt from here, the index stays what it was
                        _broken = true;
                        _last = _state.Result();
                        return _last;
                    }
                }

                _offset += size;
                remaining -= size;
            }

            _last = _state.Result();
            return _last;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}
