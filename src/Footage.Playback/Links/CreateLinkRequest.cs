namespace Footage.Playback.Links;

/// <summary>The body of <c>POST /api/v1/playback/{camera_id}/links</c>: a range (or neither, for the live edge) and a lifetime (ISO 8601 duration).</summary>
public sealed record CreateLinkRequest(string? From, string? To, string? Lifetime);
