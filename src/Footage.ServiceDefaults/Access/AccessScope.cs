namespace Footage.ServiceDefaults.Access;

/// <summary>
/// Which groups one caller is limited to: <c>key:{api key id}</c> or <c>user:{user name}</c>. A caller without a scope
/// sees every camera.
/// </summary>
public sealed record AccessScope(string Principal, IReadOnlyList<Guid> GroupIds, DateTimeOffset UpdatedAt, string UpdatedBy);
