namespace Footage.Storage.Retention;

/// <summary>The pure part of retention: how long each camera's recordings are kept.</summary>
public sealed class RetentionPolicy(int defaultDays, IReadOnlyDictionary<Guid, int> overrides)
{
    public int DaysFor(Guid cameraId) => overrides.TryGetValue(cameraId, out var days) ? days : defaultDays;

    /// <summary>A segment that ended before this instant has outlived its camera's retention.</summary>
    public DateTimeOffset CutoffFor(Guid cameraId, DateTimeOffset now) => now - TimeSpan.FromDays(DaysFor(cameraId));

    /// <summary>Nothing that ended after this can be due, whatever its camera: where the scan may stop.</summary>
    public DateTimeOffset EarliestCutoff(DateTimeOffset now) =>
        now - TimeSpan.FromDays(overrides.Count == 0 ? defaultDays : Math.Min(defaultDays, overrides.Values.Min()));

    public bool IsExpired(Guid cameraId, DateTimeOffset endTime, DateTimeOffset now) => endTime < CutoffFor(cameraId, now);
}
