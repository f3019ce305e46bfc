namespace Footage.Core.Cameras;

/// <summary>A camera as the directory knows it. <see cref="RtspUrl"/> may hold credentials: never log or return it as is.</summary>
public sealed record Camera(
    Guid Id,
    string Name,
    string? Source,
    string? RtspUrl,
    StorageMode StorageMode,
    int? RetentionDays,
    bool Enabled,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
