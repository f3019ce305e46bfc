namespace Footage.Playback.Links;

/// <summary>A link as the API shows it; <see cref="Url"/> (the credential) only to the one who just made it.</summary>
public sealed record PlaybackLinkResponse(
    Guid Id, Guid CameraId, DateTimeOffset? From, DateTimeOffset? To, bool Live, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt,
    DateTimeOffset? RevokedAt, string? Url)
{
    public static PlaybackLinkResponse Of(PlaybackLink link, string? url = null) =>
        new(link.Id, link.CameraId, link.From, link.To, link.Live, link.CreatedBy, link.CreatedAt, link.ExpiresAt, link.RevokedAt, url);
}
