namespace Footage.Milestone.Configuration;

/// <summary>A camera as Milestone's GetConfiguration lists it, with the recorder that records it.</summary>
public sealed record MilestoneCamera(Guid DeviceId, string Name, Uri RecorderUri);
