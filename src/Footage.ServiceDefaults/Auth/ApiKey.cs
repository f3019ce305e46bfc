namespace Footage.ServiceDefaults.Auth;

/// <summary>An API key as stored: never the key itself, only its SHA-256.</summary>
public sealed record ApiKey(Guid Id, string Name, string Role, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt);
