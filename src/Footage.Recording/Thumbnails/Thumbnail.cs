namespace Footage.Recording.Thumbnails;

/// <summary>A stored JPEG of a camera at a wall-clock instant.</summary>
public sealed record Thumbnail(Guid Id, Guid CameraId, DateTimeOffset CapturedAt, string StorageBackend, string StoragePath, long SizeBytes);
