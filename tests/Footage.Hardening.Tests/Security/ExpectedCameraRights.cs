namespace Footage.Hardening.Tests.Security;

/// <summary>
/// The role matrix's dimension for rights per camera group: for every operation, what a viewer or operator limited to group
/// A gets for a camera of group B. The rules are described in docs/security.md (Rights per camera group);
/// <see cref="CameraGroupRightsTests"/> checks every entry and fails for an operation without one.
/// </summary>
public static class ExpectedCameraRights
{
    /// <summary>The camera is in the route (<c>{camera_id}</c>): 404 problem, as for a camera that does not exist, before the handler runs.</summary>
    public const string InRoute = "in-route";

    /// <summary>The camera is named in the query (<c>camera_id=</c>): 404 problem, as in the route.</summary>
    public const string InQuery = "in-query";

    /// <summary>The operation names a segment, export, clip, incident or annotation: 404 for one of another group's camera (checked by its handler).</summary>
    public const string Resource = "resource";

    /// <summary>A list: only what concerns the caller's cameras is in it (an incident shows only their cameras).</summary>
    public const string Filtered = "filtered";

    /// <summary>Admins only: an admin sees every camera.</summary>
    public const string AdminOnly = "admin-only";

    /// <summary>Not about a camera: identity, tag names, the evidence key, a package the caller uploads.</summary>
    public const string NoCamera = "no-camera";

    /// <summary>Reached with a signed link or token made by a caller who could see the camera (the link's own rules apply).</summary>
    public const string SignedLink = "signed-link";

    public static readonly IReadOnlyDictionary<string, string> ByOperation = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["GET /api/v1/auth/me"] = NoCamera,
        ["GET /api/v1/auth/keys"] = AdminOnly,
        ["POST /api/v1/auth/keys"] = AdminOnly,
        ["DELETE /api/v1/auth/keys/{id}"] = AdminOnly,
        ["GET /api/v1/audit"] = AdminOnly,
        ["GET /api/v1/audit/access"] = AdminOnly,
        ["GET /api/v1/cameras"] = Filtered,
        ["GET /api/v1/cameras/{id}"] = Resource,
        ["POST /api/v1/cameras"] = AdminOnly,
        ["PUT /api/v1/cameras/{id}"] = AdminOnly,
        ["DELETE /api/v1/cameras/{id}"] = AdminOnly,
        ["GET /api/v1/camera-groups"] = Filtered,
        ["GET /api/v1/camera-groups/{id}"] = Resource,
        ["POST /api/v1/camera-groups"] = AdminOnly,
        ["PUT /api/v1/camera-groups/{id}"] = AdminOnly,
        ["DELETE /api/v1/camera-groups/{id}"] = AdminOnly,
        ["GET /api/v1/access"] = AdminOnly,
        ["PUT /api/v1/access/keys/{id}"] = AdminOnly,
        ["PUT /api/v1/access/users/{name}"] = AdminOnly,
        ["POST /api/v1/storage/segments"] = Resource,
        ["GET /api/v1/storage/segments/{camera_id}"] = InRoute,
        ["GET /api/v1/storage/segments/by-id/{id}"] = Resource,
        ["GET /api/v1/storage/segments/by-id/{id}/content"] = Resource,
        ["DELETE /api/v1/storage/segments/{id}"] = Resource,
        ["POST /api/v1/storage/retention/run"] = AdminOnly,
        ["POST /api/v1/storage/segments/quarantine"] = Resource,
        ["GET /api/v1/storage/quarantine"] = AdminOnly,
        ["DELETE /api/v1/storage/quarantine/{id}"] = AdminOnly,
        ["GET /api/v1/storage/integrity"] = AdminOnly,
        ["POST /api/v1/storage/integrity/scrub"] = AdminOnly,
        ["POST /api/v1/storage/exports"] = Resource,
        ["GET /api/v1/storage/exports"] = Filtered,
        ["GET /api/v1/storage/exports/{id}"] = Resource,
        ["GET /api/v1/storage/exports/{id}/download"] = Resource,
        ["POST /api/v1/storage/clips"] = Resource,
        ["GET /api/v1/storage/clips"] = Filtered,
        ["GET /api/v1/storage/clips/{id}"] = Resource,
        ["GET /api/v1/storage/clips/{id}/download"] = Resource,
        ["DELETE /api/v1/storage/clips/{id}"] = AdminOnly,
        ["GET /api/v1/storage/evidence/public-key"] = NoCamera,
        ["GET /api/v1/storage/evidence/public-key.pem"] = NoCamera,
        ["POST /api/v1/storage/evidence/verify"] = NoCamera,
        ["POST /api/v1/recording/start/{camera_id}"] = InRoute,
        ["POST /api/v1/recording/stop/{camera_id}"] = InRoute,
        ["GET /api/v1/recording/status"] = Filtered,
        ["GET /api/v1/recording/status/{camera_id}"] = InRoute,
        ["GET /api/v1/recording/thumbnails/{camera_id}"] = InRoute,
        ["GET /api/v1/recording/thumbnails/{camera_id}/image"] = InRoute,
        ["GET /api/v1/recording/{camera_id}/live"] = InRoute,
        ["GET /api/v1/recording/{camera_id}/live/{file}"] = InRoute,
        ["GET /api/v1/recording/{camera_id}/recorder"] = InRoute,
        ["GET /api/v1/recording/recorders"] = Filtered,
        ["POST /api/v1/recording/drain"] = AdminOnly,
        ["DELETE /api/v1/recording/drain"] = AdminOnly,
        ["POST /api/v1/metadata/tags"] = NoCamera,
        ["GET /api/v1/metadata/tags"] = NoCamera,
        ["GET /api/v1/metadata/tags/{id}"] = NoCamera,
        ["PATCH /api/v1/metadata/tags/{id}"] = NoCamera,
        ["DELETE /api/v1/metadata/tags/{id}"] = NoCamera,
        ["POST /api/v1/metadata/segments/{id}/tags"] = Resource,
        ["GET /api/v1/metadata/segments/{id}/tags"] = Resource,
        ["DELETE /api/v1/metadata/segments/{id}/tags/{tag_id}"] = Resource,
        ["POST /api/v1/metadata/annotations"] = Resource,
        ["GET /api/v1/metadata/annotations"] = InQuery,
        ["GET /api/v1/metadata/annotations/{id}"] = Resource,
        ["DELETE /api/v1/metadata/annotations/{id}"] = Resource,
        ["DELETE /api/v1/metadata/annotations"] = InQuery,
        ["POST /api/v1/metadata/incidents"] = Resource,
        ["GET /api/v1/metadata/incidents"] = Filtered,
        ["GET /api/v1/metadata/incidents/{id}"] = Resource,
        ["PATCH /api/v1/metadata/incidents/{id}"] = Resource,
        ["GET /api/v1/metadata/incidents/{id}/custody"] = Resource,
        ["GET /api/v1/metadata/incidents/{id}/custody/verify"] = Resource,
        ["GET /api/v1/metadata/search"] = InQuery,
        ["GET /api/v1/playback/{camera_id}/hls"] = InRoute,
        ["GET /api/v1/playback/{camera_id}/segments"] = InRoute,
        ["GET /api/v1/playback/{camera_id}/thumbnails/{id}"] = InRoute,
        ["GET /api/v1/playback/{camera_id}/media/{segment_id}.ts"] = InRoute,
        ["HEAD /api/v1/playback/{camera_id}/media/{segment_id}.ts"] = InRoute,
        ["GET /api/v1/playback/{camera_id}/m/{token}/{file}"] = InRoute,
        ["HEAD /api/v1/playback/{camera_id}/m/{token}/{file}"] = InRoute,
        ["GET /api/v1/playback/{camera_id}/master.m3u8"] = InRoute,
        ["POST /api/v1/playback/{camera_id}/links"] = InRoute,
        ["GET /api/v1/playback/links"] = InQuery,
        ["DELETE /api/v1/playback/links/{link_id}"] = SignedLink,
        ["GET /api/v1/playback/links/{link_id}/{token}/index.m3u8"] = SignedLink,
        ["GET /api/v1/playback/links/{link_id}/{token}/{file}"] = SignedLink,
        ["HEAD /api/v1/playback/links/{link_id}/{token}/{file}"] = SignedLink,
        ["GET /api/v1/playback/download"] = InQuery,
        ["GET /api/v1/milestone/cameras"] = Filtered,
        ["POST /api/v1/milestone/sync"] = InQuery,
    };
}
