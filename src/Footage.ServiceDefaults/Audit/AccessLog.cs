using Footage.ServiceDefaults.Auth;
using Footage.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Footage.ServiceDefaults.Audit;

/// <summary>
/// Who accessed which footage: one audit entry per camera for each download, export and clip (written before the footage is
/// handed over), and one entry per viewing for playlists. A viewing is a caller's playlist requests of one camera that
/// follow each other within <see cref="AccessAuditOptions.CoalesceWithin"/> and whose ranges overlap or touch (see there):
/// the first request writes the entry at once; the ones after it widen its range and count in memory, written by
/// <see cref="AccessLogFlusher"/> within <see cref="AccessAuditOptions.FlushAfter"/> and when the host stops. So a live
/// player refreshing every few seconds for an hour is one entry covering the hour, not a thousand.
/// </summary>
public sealed class AccessLog(AuditLog log, IOptions<SecurityOptions> options, TimeProvider clock, ILogger<AccessLog> logger) : IDisposable
{
    /// <summary>The query parameter of a signed download link that names whom the link was issued to (covered by its signature).</summary>
    public const string IssuedToParameter = "by";

    private readonly AccessAuditOptions _options = options.Value.AccessAudit;
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Actor, Guid Camera, string Access), Viewing> _viewings = [];
    private readonly List<Viewing> _retired = [];
    private readonly SemaphoreSlim _dirty = new(0, 1);

    /// <summary>Completes once a widened viewing waits to be written (at once when one already does).</summary>
    public Task WaitForChangesAsync(CancellationToken cancellationToken) => _dirty.WaitAsync(cancellationToken);

    /// <summary>A download, export or clip of these cameras and range: one entry per camera, written now.</summary>
    public async Task RecordAsync(HttpContext http, string access, IReadOnlyCollection<Guid> cameras, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        foreach (var camera in cameras)
        {
            await log.AppendAsync(Entry(http, access, camera, from, to, now), cancellationToken);
        }
    }

    /// <summary>
    /// A playlist (or a read of a stored segment) of a camera and range: a new viewing (written now) or part of the caller's
    /// current viewing of that camera of the same kind.
    /// </summary>
    public async Task RecordViewingAsync(HttpContext http, string access, Guid camera, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var entry = Entry(http, access, camera, from, to, now);
        var key = (entry.Actor, camera, access);
        lock (_gate)
        {
            if (_viewings.TryGetValue(key, out var current) && now - current.Last <= _options.CoalesceWithin && from <= current.To && to >= current.From)
            {
                current.Widen(from, to, now);
                if (_dirty.CurrentCount == 0)
                {
                    _dirty.Release(); // under _gate: no other release can come in between
                }

                return;
            }
        }

        await log.AppendAsync(entry, cancellationToken);
        lock (_gate)
        {
            if (_viewings.Remove(key, out var ended) && ended.Dirty)
            {
                _retired.Add(ended);
            }

            _viewings[key] = new Viewing(entry);
            Forget(now);
        }
    }

    /// <summary>Writes every viewing widened since it was last written, and forgets the ones over.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        List<AuditEntry> due;
        lock (_gate)
        {
            due = _retired.Concat(_viewings.Values).Where(v => v.Dirty).Select(v => v.Written()).ToList();
            _retired.Clear();
            Forget(clock.GetUtcNow());
        }

        foreach (var entry in due)
        {
            try
            {
                await log.UpdateAccessAsync(entry, cancellationToken);
            }
            catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
            {
                logger.LogError(e, "Could not write the {Access} viewing of camera {CameraId} by {Actor} ({Requests} requests)", entry.Access, entry.CameraId, entry.Actor, entry.Attempts);
            }
        }
    }

    public void Dispose() => _dirty.Dispose();

    /// <summary>
    /// The caller: the key's or token's user, or, for a signed download link, whom the link was issued to (the link's
    /// <c>by</c>, which its signature covers) followed by "via signed link".
    /// </summary>
    public static string ActorOf(HttpContext http)
    {
        var user = http.User;
        if (user.HasClaim("signed_link", "true"))
        {
            var issuedTo = http.Request.Query[IssuedToParameter].ToString();
            return string.IsNullOrEmpty(issuedTo) ? "signed link" : $"{issuedTo} via signed link";
        }

        return user.ActorName();
    }

    private static AuditEntry Entry(HttpContext http, string access, Guid camera, DateTimeOffset from, DateTimeOffset to, DateTimeOffset now)
    {
        var user = http.User;
        var route = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? http.Request.Path.Value ?? "";
        return new AuditEntry(Guid.NewGuid(), now, ActorOf(http), Roles.All.LastOrDefault(user.IsInRole), user.FindFirst("key_id")?.Value,
            http.Request.Method, route, (http.Request.PathBase + http.Request.Path).Value ?? "", StatusCodes.Status200OK,
            http.Connection.RemoteIpAddress?.ToString(), AuditOutcome.Accessed, Access: access, CameraId: camera, RangeStart: from, RangeEnd: to, LastAt: now);
    }

    /// <summary>Viewings nobody has added to for longer than they may be joined are over; the written ones need no memory.</summary>
    private void Forget(DateTimeOffset now)
    {
        foreach (var (key, viewing) in _viewings.Where(v => !v.Value.Dirty && now - v.Value.Last > _options.CoalesceWithin).ToList())
        {
            _viewings.Remove(key);
        }
    }

    private sealed class Viewing(AuditEntry first)
    {
        private int _requests = 1;

        public DateTimeOffset From { get; private set; } = first.RangeStart!.Value;

        public DateTimeOffset To { get; private set; } = first.RangeEnd!.Value;

        public DateTimeOffset Last { get; private set; } = first.OccurredAt;

        public bool Dirty { get; private set; }

        public void Widen(DateTimeOffset from, DateTimeOffset to, DateTimeOffset now)
        {
            From = from < From ? from : From;
            To = to > To ? to : To;
            Last = now;
            _requests++;
            Dirty = true;
        }

        public AuditEntry Written()
        {
            Dirty = false;
            return first with { RangeStart = From, RangeEnd = To, Attempts = _requests, LastAt = Last };
        }
    }
}
