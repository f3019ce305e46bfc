namespace Footage.Hardening.Tests.Security;

/// <summary>
/// Who may call each operation: the least role that is let in. Every operation of the OpenAPI document must be
/// listed here, so a new endpoint cannot ship without someone deciding who may use it. Viewers watch and search;
/// operators also record, tag, annotate, open incidents, export, save incident clips and delete footage; only admins configure
/// cameras (and so their retention), run retention, delete incident clips, manage API keys and read the audit log (who changed
/// and who watched what); anyone may read the public key that verifies evidence; a viewer lists Milestone's
/// cameras, an operator synchronises the catalog with Milestone.
/// </summary>
public static class ExpectedRoles
{
    public const string Anyone = "anyone";
    public const string Viewer = "viewer";
    public const string Operator = "operator";
    public const string Admin = "admin";

    public static readonly IReadOnlyDictionary<string, string> ByOperation = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["GET /api/v1/auth/me"] = Viewer,
        ["GET /api/v1/auth/keys"] = Admin,
        ["POST /api/v1/auth/keys"] = Admin,
        ["DELETE /api/v1/auth/keys/{id}"] = Admin,
        ["GET /api/v1/audit"] = Admin,
        ["GET /api/v1/audit/access"] = Admin,

        ["GET /api/v1/cameras"] = Viewer,
        ["GET /api/v1/cameras/{id}"] = Viewer,
        ["POST /api/v1/cameras"] = Admin,
        ["PUT /api/v1/cameras/{id}"] = Admin,
        ["DELETE /api/v1/cameras/{id}"] = Admin,
        ["GET /api/v1/camera-groups"] = Viewer,
        ["GET /api/v1/camera-groups/{id}"] = Viewer,
        ["POST /api/v1/camera-groups"] = Admin,
        ["PUT /api/v1/camera-groups/{id}"] = Admin,
        ["DELETE /api/v1/camera-groups/{id}"] = Admin,
        ["GET /api/v1/access"] = Admin,
        ["PUT /api/v1/access/keys/{id}"] = Admin,
        ["PUT /api/v1/access/users/{name}"] = Admin,

        ["POST /api/v1/storage/segments"] = Operator,
        ["GET /api/v1/storage/segments/{camera_id}"] = Viewer,
        ["GET /api/v1/storage/segments/by-id/{id}"] = Viewer,
        ["GET /api/v1/storage/segments/by-id/{id}/content"] = Viewer,
        ["DELETE /api/v1/storage/segments/{id}"] = Operator,
        ["POST /api/v1/storage/retention/run"] = Admin,
        ["POST /api/v1/storage/segments/quarantine"] = Operator,
        ["GET /api/v1/storage/quarantine"] = Admin,
        ["DELETE /api/v1/storage/quarantine/{id}"] = Admin,
        ["GET /api/v1/storage/integrity"] = Admin,
        ["POST /api/v1/storage/integrity/scrub"] = Admin,
        ["POST /api/v1/storage/exports"] = Operator,
        ["GET /api/v1/storage/exports"] = Viewer,
        ["GET /api/v1/storage/exports/{id}"] = Viewer,
        ["GET /api/v1/storage/exports/{id}/download"] = Viewer,
        ["POST /api/v1/storage/clips"] = Operator,
        ["GET /api/v1/storage/clips"] = Viewer,
        ["GET /api/v1/storage/clips/{id}"] = Viewer,
        ["GET /api/v1/storage/clips/{id}/download"] = Viewer,
        ["DELETE /api/v1/storage/clips/{id}"] = Admin,
        // the key that verifies exports and clips is public: a recipient outside the system needs it
        ["GET /api/v1/storage/evidence/public-key"] = Anyone,
        ["GET /api/v1/storage/evidence/public-key.pem"] = Anyone,
        ["POST /api/v1/storage/evidence/verify"] = Viewer,

        ["POST /api/v1/recording/start/{camera_id}"] = Operator,
        ["POST /api/v1/recording/stop/{camera_id}"] = Operator,
        ["GET /api/v1/recording/status"] = Viewer,
        ["GET /api/v1/recording/status/{camera_id}"] = Viewer,
        ["GET /api/v1/recording/thumbnails/{camera_id}"] = Viewer,
        ["GET /api/v1/recording/thumbnails/{camera_id}/image"] = Viewer,
        ["GET /api/v1/recording/{camera_id}/live"] = Viewer,
        ["GET /api/v1/recording/{camera_id}/live/{file}"] = Viewer,
        ["GET /api/v1/recording/{camera_id}/recorder"] = Viewer,
        ["GET /api/v1/recording/recorders"] = Viewer,
        ["POST /api/v1/recording/drain"] = Admin,
        ["DELETE /api/v1/recording/drain"] = Admin,

        ["POST /api/v1/metadata/tags"] = Operator,
        ["GET /api/v1/metadata/tags"] = Viewer,
        ["GET /api/v1/metadata/tags/{id}"] = Viewer,
        ["PATCH /api/v1/metadata/tags/{id}"] = Operator,
        ["DELETE /api/v1/metadata/tags/{id}"] = Operator,
        ["POST /api/v1/metadata/segments/{id}/tags"] = Operator,
        ["GET /api/v1/metadata/segments/{id}/tags"] = Viewer,
        ["DELETE /api/v1/metadata/segments/{id}/tags/{tag_id}"] = Operator,
        ["POST /api/v1/metadata/annotations"] = Operator,
        ["GET /api/v1/metadata/annotations"] = Viewer,
        ["GET /api/v1/metadata/annotations/{id}"] = Viewer,
        ["DELETE /api/v1/metadata/annotations/{id}"] = Operator,
        ["DELETE /api/v1/metadata/annotations"] = Operator,
        ["POST /api/v1/metadata/incidents"] = Operator,
        ["GET /api/v1/metadata/incidents"] = Viewer,
        ["GET /api/v1/metadata/incidents/{id}"] = Viewer,
        ["PATCH /api/v1/metadata/incidents/{id}"] = Operator,
        ["GET /api/v1/metadata/incidents/{id}/custody"] = Viewer,
        ["GET /api/v1/metadata/incidents/{id}/custody/verify"] = Viewer,
        ["GET /api/v1/metadata/search"] = Viewer,

        ["GET /api/v1/playback/{camera_id}/hls"] = Viewer,
        ["GET /api/v1/playback/{camera_id}/segments"] = Viewer,
        ["GET /api/v1/playback/{camera_id}/thumbnails/{id}"] = Viewer,
        ["GET /api/v1/playback/{camera_id}/media/{segment_id}.ts"] = Viewer,
        ["HEAD /api/v1/playback/{camera_id}/media/{segment_id}.ts"] = Viewer,
        ["GET /api/v1/playback/{camera_id}/m/{token}/{file}"] = Viewer,
        ["HEAD /api/v1/playback/{camera_id}/m/{token}/{file}"] = Viewer,
        ["GET /api/v1/playback/{camera_id}/master.m3u8"] = Viewer,
        ["POST /api/v1/playback/{camera_id}/links"] = Viewer,
        ["GET /api/v1/playback/links"] = Viewer,
        ["DELETE /api/v1/playback/links/{link_id}"] = Viewer,
        ["GET /api/v1/playback/links/{link_id}/{token}/index.m3u8"] = Viewer,
        ["GET /api/v1/playback/links/{link_id}/{token}/{file}"] = Viewer,
        ["HEAD /api/v1/playback/links/{link_id}/{token}/{file}"] = Viewer,
        ["GET /api/v1/playback/download"] = Viewer,

        // only on a host with Footage:Milestone:ServerUrl set (the matrix runs against one)
        ["GET /api/v1/milestone/cameras"] = Viewer,
        ["POST /api/v1/milestone/sync"] = Operator,
    };

    public static int Rank(string role) => role switch
    {
        Anyone => 0,
        Viewer => 1,
        Operator => 2,
        Admin => 3,
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "unknown role"),
    };

    /// <summary>The document writes a group's root as <c>/api/v1/cameras/</c>; the table without the slash.</summary>
    public static string Normalise(string key) => key.Length > 1 && key.EndsWith('/') ? key[..^1] : key;
}
