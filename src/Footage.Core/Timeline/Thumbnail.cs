namespace Footage.Core.Timeline;

/// <summary>A still of a camera at an instant, stored in the thumbnails bucket.</summary>
public sealed record Thumbnail(Guid Id, Guid CameraId, DateTimeOffset CapturedAt, string StorageBackend, string StoragePath, long SizeBytes);
