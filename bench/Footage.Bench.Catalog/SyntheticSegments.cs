using System.Buffers.Binary;
using System.Security.Cryptography;
using Footage.Core.Segments;
using Footage.Core.Storage;
using Footage.Storage.Backends;

namespace Footage.Bench.Catalog;

/// <summary>
/// Realistic, reproducible segment values: hourly segments of 2 Mbit/s cameras (about 900 MB each, sizes
/// spread by ±5 %), object keys from <see cref="ObjectKeys.ForSegment"/>, SHA-256-looking checksums and a
/// key-frame index of a 2-second GOP (1,800 entries, about 36 KB of JSON). The same (camera, hour) always
/// gives the same segment, so re-registering one is the recorder's idempotent retry.
/// </summary>
public sealed class SyntheticSegments
{
    /// <summary>The loaded 90 days end this many days before today: the recorder's new hours are then still in the past.</summary>
    public const int DaysAfterLoad = 14;

    public const int SegmentSeconds = 3600;
    public const int KeyframesPerSegment = SegmentSeconds / 2;
    private const long NominalSize = 900_000_000;
    private const long SmallestSize = NominalSize * 95 / 100;
    private const int PoolSize = 32;

    private readonly KeyframeIndex[] _keyframes;
    private readonly string[] _keyframesJson;

    public SyntheticSegments(int cameras, int days, DateTimeOffset today)
    {
        var random = new Random(20261124);
        CameraIds = Enumerable.Range(0, cameras).Select(_ => NewGuid(random)).ToArray();
        LoadEnd = new DateTimeOffset(today.UtcDateTime.Date, TimeSpan.Zero).AddDays(-DaysAfterLoad);
        LoadStart = LoadEnd.AddDays(-days);
        LoadedHours = days * 24;
        _keyframes = Enumerable.Range(0, PoolSize).Select(_ => NewKeyframeIndex(random)).ToArray();
        _keyframesJson = _keyframes.Select(k => k.ToJson()).ToArray();
    }

    public IReadOnlyList<Guid> CameraIds { get; }

    public DateTimeOffset LoadStart { get; }

    public DateTimeOffset LoadEnd { get; }

    public int LoadedHours { get; }

    public int AverageKeyframeJsonLength => (int)_keyframesJson.Average(j => j.Length);

    public string KeyframesJson(int camera, int hour) => _keyframesJson[PoolIndex(camera, hour)];

    /// <summary>The hour-th hour after <see cref="LoadStart"/> of a camera (hours past the loaded ones are new registrations).</summary>
    public NewSegment Segment(int camera, int hour, bool withKeyframes = true)
    {
        var cameraId = CameraIds[camera];
        var start = LoadStart.AddHours(hour);
        var hash = Hash(cameraId, hour);
        var size = SmallestSize + (long)(BinaryPrimitives.ReadUInt64LittleEndian(hash) % (ulong)(NominalSize / 10));
        return new NewSegment(cameraId, start, start.AddSeconds(SegmentSeconds), SegmentSeconds, size, FilesystemBackend.BackendName,
            ObjectKeys.ForSegment(cameraId, start), Convert.ToHexStringLower(hash), null, withKeyframes ? _keyframes[PoolIndex(camera, hour)] : null);
    }

    /// <summary>The k-th registration after the load, in the recorder's order: every camera's hour, then the next hour.</summary>
    public NewSegment Registration(long k) =>
        Segment((int)(k % CameraIds.Count), LoadedHours + (int)(k / CameraIds.Count));

    private static int PoolIndex(int camera, int hour) => ((camera * 31) + hour) % PoolSize;

    private static byte[] Hash(Guid camera, int hour)
    {
        Span<byte> input = stackalloc byte[20];
        camera.TryWriteBytes(input);
        BinaryPrimitives.WriteInt32LittleEndian(input[16..], hour);
        return SHA256.HashData(input);
    }

    private static Guid NewGuid(Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40); // version 4 (Guid byte order: the version sits in byte 7)
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(bytes);
    }

    /// <summary>One key frame every 2 s (±40 ms), chunks starting on 188-byte TS packets, all inside the smallest segment.</summary>
    private static KeyframeIndex NewKeyframeIndex(Random random)
    {
        var entries = new Keyframe[KeyframesPerSegment];
        var step = (SmallestSize - 1_000_000) / KeyframesPerSegment;
        for (var i = 0; i < entries.Length; i++)
        {
            var ms = i == 0 ? 0 : (i * 2000L) + random.Next(0, 40);
            var offset = i == 0 ? 0 : ((i * step) + random.Next(-50_000, 50_000)) / 188 * 188;
            entries[i] = new Keyframe(ms, offset);
        }

        return new KeyframeIndex(entries);
    }
}
