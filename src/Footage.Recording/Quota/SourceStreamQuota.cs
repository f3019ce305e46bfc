using Microsoft.Extensions.Options;

namespace Footage.Recording.Quota;

/// <summary>The configured limit per source (<see cref="RecordingOptions.MaxStreamsPerSource"/>), counted in this process.</summary>
public sealed class SourceStreamQuota(IOptions<RecordingOptions> options) : IStreamQuota
{
    private readonly Dictionary<string, HashSet<Guid>> _reserved = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _gate = new();

    public Task<bool> TryReserveAsync(Guid cameraId, string? source, CancellationToken cancellationToken)
    {
        var key = source ?? string.Empty;
        var limits = options.Value.MaxStreamsPerSource;
        int? limit = limits.TryGetValue(key, out var own) ? own : limits.TryGetValue("*", out var any) ? any : null;
        lock (_gate)
        {
            if (!_reserved.TryGetValue(key, out var cameras))
            {
                cameras = [];
                _reserved[key] = cameras;
            }

            if (cameras.Contains(cameraId))
            {
                return Task.FromResult(true);
            }

            if (limit is { } max && cameras.Count >= max)
            {
                return Task.FromResult(false);
            }

            cameras.Add(cameraId);
            return Task.FromResult(true);
        }
    }

    public Task ReleaseAsync(Guid cameraId, string? source, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_reserved.TryGetValue(source ?? string.Empty, out var cameras))
            {
                cameras.Remove(cameraId);
            }
        }

        return Task.CompletedTask;
    }
}
