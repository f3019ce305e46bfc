namespace Footage.ServiceDefaults.Access;

/// <summary>A group of cameras (a site, a district): a camera may be in any number of groups.</summary>
public sealed record CameraGroup(Guid Id, string Name, IReadOnlyList<Guid> CameraIds, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
