namespace Footage.Playback.Links;

/// <summary>
/// A playlist link a viewer made for someone else's player: one camera, a range (or the live edge when <see cref="To"/> is null),
/// who made it, until when it works, and whether it was revoked.
/// </summary>
public sealed record PlaybackLink(
    Guid Id, Guid CameraId, DateTimeOffset? From, DateTimeOffset? To, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? RevokedAt)
{
    public bool Live => To is null;

    /// <summary>The folder the link's token signs: its playlist and media live under it.</summary>
    public string Folder => $"/api/v1/playback/links/{Id:D}/";
}
