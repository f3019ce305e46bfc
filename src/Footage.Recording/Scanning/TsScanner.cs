using Footage.Core.Segments;

namespace Footage.Recording.Scanning;

/// <summary>
/// Reads an MPEG-TS file packet by packet (ISO/IEC 13818-1): PAT and PMT to find the video PID (and the other streams), the
/// random_access_indicator (or an IDR/IRAP NAL unit) to find key frames, PES PTS for time. Hand-written
/// because no maintained .NET library indexes TS key frames, and it must run on every segment without
/// spawning ffprobe or decoding: it reads each packet header once.
/// </summary>
public static class TsScanner
{
    public const int PacketSize = 188;
    public const int H264StreamType = 0x1B;
    public const int H265StreamType = 0x24;
    private const byte SyncByte = 0x47;
    private const long PtsWrap = 1L << 33;

    /// <param name="hash">When given, every byte read is also fed to it, so that a caller needing the file's
    /// checksum reads the file once, not twice (it covers the whole file only when the scan reached the end).</param>
    public static async Task<TsScan> ScanAsync(string path, CancellationToken cancellationToken, System.Security.Cryptography.IncrementalHash? hash = null)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16, useAsync: true);
        return await ScanAsync(stream, cancellationToken, hash);
    }

    public static async Task<TsScan> ScanAsync(Stream stream, CancellationToken cancellationToken, System.Security.Cryptography.IncrementalHash? hash = null)
    {
        var state = new ScanState();
        var buffer = new byte[PacketSize * 512];
        long offset = 0;
        var filled = 0;
        while (true)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken);
            hash?.AppendData(buffer, filled, read);
            filled += read;
            var whole = filled / PacketSize * PacketSize;
            for (var i = 0; i < whole; i += PacketSize)
            {
                if (!state.Packet(buffer.AsSpan(i, PacketSize), offset + i))
                {
                    return state.Result();
                }
            }

            offset += whole;
            var rest = filled - whole;
            Buffer.BlockCopy(buffer, whole, buffer, 0, rest);
            filled = rest;
            if (read == 0)
            {
                // 'rest' bytes at the end are a packet cut short by a crash: not part of the valid length
                return state.Result();
            }
        }
    }

    internal sealed class ScanState
    {
        /// <summary>Pictures remembered for partial segments: 20 s at 30 frames a second.</summary>
        private const int RecentFrameCount = 600;
        private readonly List<(long Pts, long Offset)> _keyframes = [];
        private readonly (long Pts, long Offset, bool Key)[] _recent = new (long, long, bool)[RecentFrameCount];
        private long _recentCount;
        // how often each step between successive PTS occurs: a few distinct values, where a list of them would hold one
        // entry per frame (90,000 for an hour) in every open segment the recorder follows
        private readonly Dictionary<long, int> _ptsDeltas = [];
        private int _ptsDeltaCount;
        private int? _pmtPid;
        private int? _videoPid;
        private int? _videoStreamType;
        private readonly Dictionary<int, int> _otherStreams = [];
        private long _lastPatOffset = -1;
        private long _lastVideoStartOffset = -1;
        private long? _firstPts;
        private long _minPts = long.MaxValue;
        private long _maxPts = long.MinValue;
        private long? _previousPts;
        private long _validLength;

        public int? VideoPid => _videoPid;

        public int? VideoStreamType => _videoStreamType;

        /// <summary>False at the first packet that is not a TS packet: the file is cut or corrupt from there.</summary>
        public bool Packet(ReadOnlySpan<byte> p, long offset)
        {
            if (p[0] != SyncByte)
            {
                return false;
            }

            _validLength = offset + PacketSize;
            var pusi = (p[1] & 0x40) != 0;
            var pid = ((p[1] & 0x1F) << 8) | p[2];
            var adaptation = (p[3] >> 4) & 0x3;
            var payloadStart = 4;
            var randomAccess = false;
            if (adaptation is 2 or 3)
            {
                var length = p[4];
                if (length > 0 && 5 < PacketSize)
                {
                    randomAccess = (p[5] & 0x40) != 0;
                }

                payloadStart = 5 + length;
            }

            if (adaptation is 0 or 2 || payloadStart >= PacketSize)
            {
                return true;
            }

            var payload = p[payloadStart..];
            if (pid == 0)
            {
                _lastPatOffset = offset;
                if (pusi)
                {
                    ReadPat(payload);
                }
            }
            else if (pid == _pmtPid && pusi)
            {
                ReadPmt(payload);
            }
            else if (pid == _videoPid && pusi)
            {
                VideoPesStart(payload, offset, randomAccess);
            }

            return true;
        }

        private void ReadPat(ReadOnlySpan<byte> payload)
        {
            var section = Section(payload);
            if (section.Length < 12 || section[0] != 0x00)
            {
                return;
            }

            var sectionLength = ((section[1] & 0x0F) << 8) | section[2];
            var end = Math.Min(3 + sectionLength - 4, section.Length);
            for (var i = 8; i + 4 <= end; i += 4)
            {
                var program = (section[i] << 8) | section[i + 1];
                if (program != 0)
                {
                    _pmtPid = ((section[i + 2] & 0x1F) << 8) | section[i + 3];
                    return;
                }
            }
        }

        private void ReadPmt(ReadOnlySpan<byte> payload)
        {
            var section = Section(payload);
            if (section.Length < 16 || section[0] != 0x02)
            {
                return;
            }

            var sectionLength = ((section[1] & 0x0F) << 8) | section[2];
            var end = Math.Min(3 + sectionLength - 4, section.Length);
            var programInfoLength = ((section[10] & 0x0F) << 8) | section[11];
            for (var i = 12 + programInfoLength; i + 5 <= end;)
            {
                var streamType = section[i];
                var pid = ((section[i + 1] & 0x1F) << 8) | section[i + 2];
                var infoLength = ((section[i + 3] & 0x0F) << 8) | section[i + 4];
                if (streamType is H264StreamType or H265StreamType && _videoPid is null)
                {
                    _videoPid = pid;
                    _videoStreamType = streamType;
                }
                else if (pid != _videoPid)
                {
                    _otherStreams[pid] = streamType;
                }

                i += 5 + infoLength;
            }
        }

        private void VideoPesStart(ReadOnlySpan<byte> payload, long offset, bool randomAccess)
        {
            if (payload.Length < 14 || payload[0] != 0 || payload[1] != 0 || payload[2] != 1)
            {
                return;
            }

            var headerLength = payload[8];
            long? pts = null;
            if ((payload[7] & 0x80) != 0)
            {
                pts = ((long)(payload[9] & 0x0E) << 29) | ((long)payload[10] << 22) | ((long)(payload[11] & 0xFE) << 14) |
                      ((long)payload[12] << 7) | ((long)payload[13] >> 1);
            }

            var es = 9 + headerLength < payload.Length ? payload[(9 + headerLength)..] : [];
            var isKey = randomAccess || HasRandomAccessNal(es, _videoStreamType == H265StreamType);
            var chunkStart = _lastPatOffset > _lastVideoStartOffset ? _lastPatOffset : offset;
            _lastVideoStartOffset = offset;
            if (pts is not { } raw)
            {
                return;
            }

            var unwrapped = Unwrap(raw);
            _minPts = Math.Min(_minPts, unwrapped);
            _maxPts = Math.Max(_maxPts, unwrapped);
            if (_previousPts is { } previous && unwrapped > previous)
            {
                _ptsDeltas[unwrapped - previous] = _ptsDeltas.GetValueOrDefault(unwrapped - previous) + 1;
                _ptsDeltaCount++;
            }

            _previousPts = unwrapped;
            _recent[_recentCount++ % RecentFrameCount] = (unwrapped, chunkStart, isKey);
            if (isKey)
            {
                _keyframes.Add((unwrapped, chunkStart));
            }
        }

        private long Unwrap(long pts)
        {
            _firstPts ??= pts;
            var first = _firstPts.Value;
            // PTS is 33 bits and wraps every ~26.5 h: keep times increasing within a segment
            while (pts < first - (PtsWrap / 2))
            {
                pts += PtsWrap;
            }

            return pts;
        }

        /// <summary>
        /// A picture a decoder can start at: an H.264 IDR slice (NAL type 5), or an H.265 IRAP picture (NAL types 16 to 23: BLA,
        /// IDR and CRA, whose header is two bytes with the type in bits 1 to 6 of the first).
        /// </summary>
        private static bool HasRandomAccessNal(ReadOnlySpan<byte> es, bool h265)
        {
            // start codes found by the vectorised search: this runs on the first packet of every picture
            ReadOnlySpan<byte> startCode = [0, 0, 1];
            for (var at = es.IndexOf(startCode); at >= 0 && at + 3 < es.Length; at = NextStartCode(es, at + 3, startCode))
            {
                var header = es[at + 3];
                if (h265 ? ((header >> 1) & 0x3F) is >= 16 and <= 23 : (header & 0x1F) == 5)
                {
                    return true;
                }
            }

            return false;
        }

        private static int NextStartCode(ReadOnlySpan<byte> es, int from, ReadOnlySpan<byte> startCode) =>
            es[from..].IndexOf(startCode) is >= 0 and var found ? from + found : -1;

        private static ReadOnlySpan<byte> Section(ReadOnlySpan<byte> payload)
        {
            var pointer = payload[0];
            return 1 + pointer < payload.Length ? payload[(1 + pointer)..] : [];
        }

        public TsScan Result()
        {
            if (_keyframes.Count == 0 || _minPts == long.MaxValue)
            {
                return new TsScan(_validLength, _videoPid, [], _maxPts > _minPts ? (_maxPts - _minPts) / 90_000.0 : 0)
                {
                    VideoStreamType = _videoStreamType, OtherStreamTypes = _otherStreams.Values.ToArray(),
                };
            }

            var frame = FrameDuration();
            var duration = (_maxPts - _minPts + frame) / 90_000.0;
            var keyframes = _keyframes.Select(k => new Keyframe((k.Pts - _minPts) / 90, k.Offset)).ToArray();
            return new TsScan(_validLength, _videoPid, keyframes, duration) { VideoStreamType = _videoStreamType, OtherStreamTypes = _otherStreams.Values.ToArray(), RecentFrames = Recent() };
        }

        private Core.Live.LiveFrame[] Recent()
        {
            var count = (int)Math.Min(_recentCount, RecentFrameCount);
            var frames = new Core.Live.LiveFrame[count];
            for (var i = 0; i < count; i++)
            {
                var (pts, offset, key) = _recent[(_recentCount - count + i) % RecentFrameCount];
                frames[i] = new Core.Live.LiveFrame((pts - _minPts) / 90, offset, key);
            }

            return frames;
        }

        private long FrameDuration()
        {
            // the median step: the one at position count / 2 of the steps in order
            var seen = 0;
            foreach (var (delta, count) in _ptsDeltas.OrderBy(d => d.Key))
            {
                seen += count;
                if (seen > _ptsDeltaCount / 2)
                {
                    return delta;
                }
            }

            return 0;
        }
    }
}
