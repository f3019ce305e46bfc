using Footage.Core.Time;

namespace Footage.Core.Custody;

/// <summary>
/// One action on footage: what (for example EXPORT_CREATED), who (the authenticated caller), which cameras
/// and range, what it concerns (for example "export 7f3c..."), and the SHA-256 sums of the files involved
/// (name to hex digest). <see cref="Notes"/> adds words to the entry (a reason, a margin); <see cref="Incident"/> names an
/// incident the action is about, recorded in its log even when its cameras or range no longer overlap (a clip of it).
/// </summary>
public sealed record FootageEvent(
    string Action,
    string Actor,
    IReadOnlyCollection<Guid> CameraIds,
    TimeRange Range,
    string Subject,
    IReadOnlyDictionary<string, string> Hashes,
    IReadOnlyDictionary<string, string>? Notes = null,
    Guid? Incident = null);
