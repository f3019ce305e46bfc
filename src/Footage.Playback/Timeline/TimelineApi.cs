using Footage.Core.Segments;
using Footage.Core.Time;
using Footage.Core.Timeline;
using Footage.Playback.Playlists;
using Footage.ServiceDefaults.Auth;
using Footage.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Footage.Playback.Timeline;

/// <summary>
/// <c>GET /api/v1/playback/{camera_id}/segments?from=&amp;to=</c>: what is recorded in a range, ready for
/// a timeline: merged spans, gaps, the segments, thumbnails and markers (annotations, incidents).
/// </summary>
public static class TimelineApi
{
    public const int MaxThumbnails = 2000;

    public sealed record TimelineSegment(Guid Id, DateTimeOffset StartTime, DateTimeOffset EndTime, long SizeBytes, string StorageBackend);

    public sealed record TimelineThumbnail(Guid Id, DateTimeOffset CapturedAt, string Url);

    public sealed record TimelineResponse(
        Guid CameraId, DateTimeOffset From, DateTimeOffset To, double RecordedSeconds,
        IReadOnlyList<TimelineSpans.Span> Spans, IReadOnlyList<TimelineSpans.Span> Gaps,
        IReadOnlyList<TimelineSegment> Segments, IReadOnlyList<TimelineThumbnail> Thumbnails, IReadOnlyList<TimelineMarker> Markers);

    public static IEndpointRouteBuilder MapTimelineApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/v1/playback/{camera_id}/segments", Timeline).RequireAuthorization(Roles.Viewer).WithTags("Playback");
        return endpoints;
    }

    private static async Task<IResult> Timeline(
        string camera_id, string? from, string? to, ISegmentCatalog catalog, IEnumerable<IThumbnailIndex> thumbnails,
        IEnumerable<ITimelineMarkerSource> markerSources, LinkSigner signer, IOptions<PlaybackOptions> options, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (PlaybackRange.Parse(camera_id, from, to, options.Value.MaxRange, errors) is not { } r)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var segments = await SegmentLoader.LoadAsync(catalog, r.CameraId, r.From, r.To, keyframes: false, ct);
        var (spans, gaps) = TimelineSpans.Build(segments, r.From, r.To);
        var range = new TimeRange(r.From, r.To);

        var stills = new List<TimelineThumbnail>();
        foreach (var index in thumbnails)
        {
            foreach (var t in await index.ListAsync(r.CameraId, range, MaxThumbnails, ct))
            {
                var (url, _) = signer.Sign($"/api/v1/playback/{r.CameraId:D}/thumbnails/{t.Id:D}", options.Value.MediaLinkLifetime);
                stills.Add(new TimelineThumbnail(t.Id, t.CapturedAt, url));
            }
        }

        var markers = new List<TimelineMarker>();
        foreach (var source in markerSources)
        {
            markers.AddRange(await source.GetMarkersAsync(r.CameraId, range, ct));
        }

        return TypedResults.Ok(new TimelineResponse(
            r.CameraId, r.From, r.To, spans.Sum(s => (s.EndTime - s.StartTime).TotalSeconds), spans, gaps,
            segments.Select(s => new TimelineSegment(s.Id, s.StartTime, s.EndTime, s.SizeBytes, s.StorageBackend)).ToArray(),
            stills, markers.OrderBy(m => m.Start).ToArray()));
    }
}
