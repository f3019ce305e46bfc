using System.Buffers;
using System.Security.Cryptography;

namespace Footage.Recording.Scanning;

/// <summary>
/// The <see cref="TsScanner"/> index and SHA-256 of a file ffmpeg is still writing, kept up to date incrementally: each
/// call reads only the bytes added since the last one, and only whole 188-byte packets (a packet being written waits for
/// the next call). Followed while the file grows, a closed segment needs only its last bytes read to be indexed and
/// checksummed, instead of the whole file read back at upload (one-hour segments of many cameras closing together).
/// </summary>
public sealed class GrowingScan(string path) : IDisposable
{
    private const int ChunkBytes = TsScanner.PacketSize * 512;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private TsScanner.ScanState _state = new();
    private IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _offset;
    private bool _broken;

    public string Path { get; } = path;

    /// <summary>Reads what was appended since the last call and returns the scan of the whole file so far.</summary>
    public async Task<TsScan> AdvanceAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            ReadOn(cancellationToken);
            return _state.Result();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Reads what was appended since the last call, without building a result (the recorder's follow of its open file).</summary>
    public async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            ReadOn(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// The scan of the whole file and the SHA-256 of its first <see cref="TsScan.ValidLength"/> bytes: the file's own
    /// checksum when that is its length (the scan stops at a packet cut short or at the first that is not a TS packet).
    /// </summary>
    public async Task<(TsScan Scan, string Sha256)> FinishAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            ReadOn(cancellationToken);
            return (_state.Result(), Convert.ToHexStringLower(_hash.GetCurrentHash()));
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        _hash.Dispose();
        _gate.Dispose();
    }

    private void ReadOn(CancellationToken cancellationToken)
    {
        if (_broken)
        {
            return;
        }

        // read synchronously: the bytes were just written by ffmpeg and come from the page cache in microseconds, whereas an
        // asynchronous read of a file on Unix is the same read handed to another pool thread and back (two wake-ups a chunk)
        using var file = File.OpenHandle(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var length = RandomAccess.GetLength(file);
        if (length < _offset)
        {
            // shorter than what was read: cut (a packet cut short dropped is never read, so this is a different file): start over
            _state = new TsScanner.ScanState();
            _hash.Dispose();
            _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            _offset = 0;
        }

        var whole = (length - _offset) / TsScanner.PacketSize * TsScanner.PacketSize;
        if (whole <= 0)
        {
            return;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            var end = _offset + whole;
            while (_offset < end)
            {
                var want = (int)Math.Min(ChunkBytes, end - _offset);
                cancellationToken.ThrowIfCancellationRequested();
                var read = RandomAccess.Read(file, buffer.AsSpan(0, want), _offset);
                var packets = read / TsScanner.PacketSize * TsScanner.PacketSize;
                for (var i = 0; i < packets; i += TsScanner.PacketSize)
                {
                    if (!_state.Packet(buffer.AsSpan(i, TsScanner.PacketSize), _offset + i))
                    {
                        // not a TS packet: the file is corrupt from here, the index and checksum stay what they were
                        _hash.AppendData(buffer, 0, i);
                        _offset += i;
                        _broken = true;
                        return;
                    }
                }

                _hash.AppendData(buffer, 0, packets);
                _offset += packets;
                if (packets < want)
                {
                    return; // the file shrank while being read: the rest waits for the next call
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
