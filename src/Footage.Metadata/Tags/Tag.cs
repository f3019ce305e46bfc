namespace Footage.Metadata.Tags;

/// <summary>A tag of the catalog (the spec's <c>tags</c> row).</summary>
public sealed record Tag(Guid Id, string Name, string? Category, string? Color, DateTimeOffset CreatedAt);
