namespace Footage.Milestone.Sync;

/// <summary>What one synchronisation with Milestone did.</summary>
public sealed record SyncReport(int CamerasImported, int CamerasSynced, int SegmentsRegistered, int PiecesSkipped, IReadOnlyList<string> Problems);
