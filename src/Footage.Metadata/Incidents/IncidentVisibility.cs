using Footage.ServiceDefaults.Access;

namespace Footage.Metadata.Incidents;

/// <summary>
/// What a caller limited to camera groups sees of incidents: an incident covering at least one of their cameras (or no
/// camera at all), with only their cameras in <c>camera_ids</c>; an incident of other cameras only is not found. Changing an
/// incident, its chain of custody and clips of it need every camera it covers.
/// </summary>
public static class IncidentVisibility
{
    public static bool IsVisible(Incident incident, CameraScope scope) =>
        scope.IsEverything || incident.CameraIds.Count == 0 || incident.CameraIds.Any(scope.Allows);

    public static Incident Trimmed(Incident incident, CameraScope scope) =>
        scope.IsEverything ? incident : incident with { CameraIds = incident.CameraIds.Where(scope.Allows).ToArray() };

    /// <summary>403: the incident is visible, but it covers cameras the caller may not see.</summary>
    public static Microsoft.AspNetCore.Mvc.ProblemDetails Forbidden(Guid incidentId) => new()
    {
        Status = 403, Title = "Forbidden", Detail = $"Incident {incidentId} covers cameras you may not see: only a caller who sees all of them may do this.",
    };
}
