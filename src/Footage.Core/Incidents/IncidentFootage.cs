namespace Footage.Core.Incidents;

/// <summary>What another module needs of an incident to act on its footage: its cameras and time range, and its title.</summary>
public sealed record IncidentFootage(Guid Id, string Title, IReadOnlyList<Guid> CameraIds, DateTimeOffset StartTime, DateTimeOffset EndTime);
