namespace Footage.Core.Live;

/// <summary>
/// Where one picture of a recorder file starts: milliseconds from the file's start (as key frames count them) and the byte
/// offset of its first packet (or of the PAT/PMT just before it). Low-latency playlists cut partial segments at these.
/// </summary>
public readonly record struct LiveFrame(long OffsetMilliseconds, long ByteOffset, bool Key);
