using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Footage.Core.Live;
using Footage.Core.Segments;
using Footage.Core.Storage;
using Footage.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Footage.Playback.Tests;

/// <summary>
/// A live chunk asked for in the moment its file is uploaded: the recorder still lists the file and the catalog does not have it
/// yet, but it is gone from the spool when it is read, catalogued meanwhile. The link (the file's name, the same whether spooled
/// or catalogued) serves the stored segment that starts where the file started, the same bytes, never a 404.
/// </summary>
public sealed class LiveMediaUploadedMeanwhileTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _media = new("footage-live-media");
    private readonly UploadedMeanwhile _live = new();
    private FootageServer _server = null!;
    private byte[] _stored = [];

    public async ValueTask InitializeAsync()
    {
        _server = await FootageServer.StartAsync(DatabaseKind.Sqlite, services: s => s.AddSingleton<ILiveSegmentSource>(_live));
        var file = await TestMedia.MakeTsAsync(Path.Combine(_media.Path, "clip.ts"), 4, "testsrc2");
        _stored = await File.ReadAllBytesAsync(file);
        // the recorder tightened the run's start meanwhile: the file is catalogued (and keyed) 4 ms before it was listed
        var catalogued = Start.AddMilliseconds(-4);
        var key = ObjectKeys.ForSegment(_live.Camera, catalogued);
        await _server.Get<IStorageBackendRegistry>().Default.PutAsync(StorageBuckets.Recordings, key, new MemoryStream(_stored), null, CancellationToken.None);
        var keyframes = await TestMedia.KeyframesAsync(file);
        // the upload finishes while the chunk is being read from the spool
        _live.Uploaded = async () => await (await _server.Admin.PostAsJsonAsync("api/v1/storage/segments", new
        {
            camera_id = _live.Camera,
            start_time = catalogued,
            end_time = Start.AddSeconds(4),
            size_bytes = _stored.Length,
            storage_path = key,
            checksum = Convert.ToHexStringLower(SHA256.HashData(_stored)),
            keyframes,
        })).AssertJsonAsync(HttpStatusCode.Created);
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _media.Dispose();
    }

    [Fact]
    public async Task A_file_listed_but_gone_when_read_is_served_from_storage()
    {
        var ct = TestContext.Current.CancellationToken;
        var link = $"api/v1/playback/{_live.Camera}/m/none/{Playlists.MediaName.Of(Start, "filesystem")}.ts";

        using var request = new HttpRequestMessage(HttpMethod.Get, link);
        request.Headers.Range = new RangeHeaderValue(0, 187);
        using var partial = await _server.Admin.SendAsync(request, ct);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(_stored[..188], await partial.Content.ReadAsByteArrayAsync(ct));
        Assert.Equal(1, _live.Reads);

        Assert.Equal(_stored, await _server.Admin.GetByteArrayAsync(link, ct));
    }

    /// <summary>Lists one file of the camera, as a recorder does until its uploader removes it; every read finds it gone.</summary>
    private sealed class UploadedMeanwhile : ILiveSegmentSource
    {
        private int _reads;

        public Guid Camera { get; } = Guid.NewGuid();

        public Func<Task> Uploaded { get; set; } = () => Task.CompletedTask;

        public int Reads => _reads;

        public Task<IReadOnlyList<LiveSegment>> ListAsync(Guid cameraId, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<LiveSegment>>(cameraId == Camera
                ? [new LiveSegment("r1-000001.ts", Start, Start.AddSeconds(4), 188 * 100, new KeyframeIndex([new Keyframe(0, 0)]), Open: false)]
                : []);

        public async Task<Stream?> OpenReadAsync(Guid cameraId, string file, ByteRange range, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _reads) == 1)
            {
                await Uploaded();
            }

            return null;
        }
    }
}
