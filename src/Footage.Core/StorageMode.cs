namespace Footage.Core;

/// <summary>Where a camera's footage is recorded and kept (spec: LOCAL, MILESTONE, BOTH).</summary>
public enum StorageMode
{
    /// <summary>We record and store (filesystem or S3).</summary>
    Local,

    /// <summary>Milestone XProtect records; we index and play its recordings.</summary>
    Milestone,

    /// <summary>Both record; playback prefers ours and falls back to Milestone in our gaps.</summary>
    Both,
}
