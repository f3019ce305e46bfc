using Footage.Recording.Spool;
using Footage.Testing;
using Xunit;

namespace Footage.Recording.Tests.Spool;

/// <summary>
/// The spool's byte count is read by every status request while the uploader deletes the files it counts: a file or the
/// camera's folder gone between the listing and the read of a length counts as nothing, it never fails the request.
/// </summary>
public sealed class SpoolFolderTests : IDisposable
{
    private readonly TempFolder _root = new("footage-spool-bytes");

    public void Dispose() => _root.Dispose();

    [Fact]
    public void Counts_the_segment_files_of_a_camera_and_nothing_for_a_camera_without_a_folder()
    {
        var spool = new SpoolFolder(_root.Path);
        var camera = Guid.NewGuid();
        var folder = spool.CameraFolder(camera);
        File.WriteAllBytes(Path.Combine(folder, "r1-000000.ts"), new byte[188 * 3]);
        File.WriteAllBytes(Path.Combine(folder, "r1-000001.ts"), new byte[188]);
        File.WriteAllBytes(Path.Combine(folder, "r1-000000.ts.json"), new byte[50]);
        File.WriteAllBytes(Path.Combine(folder, "r1.csv"), new byte[20]);

        Assert.Equal(188 * 4, spool.Bytes(camera));
        Assert.Equal(0, spool.Bytes(Guid.NewGuid()));
    }

    [Fact]
    public async Task Files_and_folders_deleted_while_counted_never_throw()
    {
        var spool = new SpoolFolder(_root.Path);
        var camera = Guid.NewGuid();
        var folder = spool.CameraFolder(camera);
        using var stop = new CancellationTokenSource();
        var churn = Task.Run(() =>
        {
            // an uploader at its fastest: files appear and go, and now and then the whole folder with them
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                Directory.CreateDirectory(folder);
                var paths = Enumerable.Range(0, 20).Select(n => Path.Combine(folder, $"r{i}-{n:D6}.ts")).ToArray();
                foreach (var path in paths)
                {
                    File.WriteAllBytes(path, new byte[188]);
                }

                foreach (var path in paths)
                {
                    File.Delete(path);
                }

                if (i % 10 == 0)
                {
                    Directory.Delete(folder, recursive: true);
                }
            }
        }, TestContext.Current.CancellationToken);

        for (var i = 0; i < 20_000; i++)
        {
            Assert.InRange(spool.Bytes(camera), 0, 188 * 20);
        }

        await stop.CancelAsync();
        await churn;
    }
}
