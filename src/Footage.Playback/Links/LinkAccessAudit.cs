using System.Collections.Concurrent;
using Footage.ServiceDefaults.Audit;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Footage.Playback.Links;

/// <summary>
/// Records the use of a playlist link in the audit log: who made it (the actor is the link, on behalf of its maker), from which
/// address, what it shows. A player refreshes a live playlist several times a second, so uses of one link less than
/// <see cref="Coalesce"/> apart are one entry. The link's token is never written (it is the credential): the path keeps the
/// link's id only.
/// </summary>
public sealed class LinkAccessAudit(AuditLog log, TimeProvider clock, ILogger<LinkAccessAudit> logger)
{
    public const string Outcome = "accessed";
    public static readonly TimeSpan Coalesce = TimeSpan.FromMinutes(5);
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _written = new();

    public static string ActorOf(PlaybackLink link) => $"{link.CreatedBy} (link {link.Id:D})";

    public async Task RecordAsync(PlaybackLink link, HttpContext http, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (_written.TryGetValue(link.Id, out var last) && now - last < Coalesce)
        {
            return;
        }

        _written[link.Id] = now;
        var what = link.Live ? "live" : $"{link.From:O} to {link.To:O}";
        var entry = new AuditEntry(Guid.NewGuid(), now, ActorOf(link), "viewer", link.Id.ToString("D"), http.Request.Method,
            "/api/v1/playback/links/{link_id}/{token}/index.m3u8", $"/api/v1/playback/links/{link.Id:D}/index.m3u8", 200,
            http.Connection.RemoteIpAddress?.ToString(), Outcome, $"playlist link of camera {link.CameraId:D}, {what}");
        try
        {
            await log.AppendAsync(entry, cancellationToken);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
        {
            _written.TryRemove(link.Id, out _);
            logger.LogError(e, "Could not write the audit entry for the use of link {LinkId}", link.Id);
        }

        foreach (var (id, at) in _written)
        {
            if (now - at > Coalesce)
            {
                _written.TryRemove(id, out _);
            }
        }
    }
}
