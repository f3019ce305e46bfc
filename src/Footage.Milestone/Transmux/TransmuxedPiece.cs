using Footage.Core.Segments;

namespace Footage.Milestone.Transmux;

/// <summary>A stretch of Milestone footage turned into an MPEG-TS file: where its first frame lies in time, how long it plays, its key frames.</summary>
public sealed record TransmuxedPiece(string Path, DateTimeOffset Start, DateTimeOffset End, int Frames, long Size, string Sha256, KeyframeIndex Keyframes);
