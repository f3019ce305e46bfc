using Footage.Core.Segments;

namespace Footage.Playback.Playlists;

/// <summary>Every segment of a camera overlapping a range, with key-frame indexes, page by page from the catalog.</summary>
public static class SegmentLoader
{
    public static async Task<List<Segment>> LoadAsync(ISegmentCatalog catalog, Guid cameraId, DateTimeOffset from, DateTimeOffset to, bool keyframes, CancellationToken cancellationToken)
    {
        var segments = new List<Segment>();
        string? cursor = null;
        do
        {
            var page = await catalog.ListAsync(new SegmentQuery(cameraId, from, to, cursor, 1000, keyframes), cancellationToken);
            segments.AddRange(page.Items);
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        return segments;
    }
}
