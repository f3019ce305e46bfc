using System.Globalization;
using System.Security.Cryptography;
using Amazon.S3;
using CliWrap;
using CliWrap.Buffered;
using Xunit;

namespace Footage.Testing;

/// <summary>
/// Ceph's RADOS Gateway, a production S3 implementation (SigV4 checked, lifecycle, bucket policies, object lock,
/// multipart), as a throwaway single-node cluster in a temp folder: one monitor, one OSD keeping objects in memory,
/// radosgw on a free port of 127.0.0.1. Starts in about 5 s, so a test collection shares one. Its users have random
/// keys: <see cref="Identities"/> holds the product's service identities (storage, recording, playback) and
/// <see cref="CreateTenantAsync"/> makes another set with buckets of its own. <see cref="StopGatewayAsync"/> and
/// <see cref="StartGatewayAsync"/> stop and restart radosgw alone: an object-store outage that keeps the data.
/// </summary>
public class RadosGateway : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(3);
    private readonly TempFolder _folder = new("footage-rgw");
    private readonly long _memstoreBytes;
    private string _configuration = "";
    private CephDaemon? _monitor;
    private CephDaemon? _osd;
    private CephDaemon? _gateway;

    public RadosGateway()
        : this(lifecycleDay: null)
    {
    }

    /// <param name="lifecycleDay">How long a lifecycle "day" lasts (radosgw's <c>rgw lc debug interval</c>), so that a test
    /// can watch an expiry rule act; null for real days.</param>
    /// <param name="memstoreBytes">Most bytes the OSD keeps in memory.</param>
    protected RadosGateway(TimeSpan? lifecycleDay, long memstoreBytes = 2L << 30)
    {
        LifecycleDay = lifecycleDay;
        _memstoreBytes = memstoreBytes;
    }

    public TimeSpan? LifecycleDay { get; }

    public int Port { get; private set; }

    public string ServiceUrl => $"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    public string Region { get; } = "us-east-1";

    /// <summary>The product's service identities in the default tenant.</summary>
    public S3Tenant Identities { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        foreach (var tool in new[] { "ceph", "ceph-mon", "ceph-osd", "monmaptool", "radosgw", "radosgw-admin" })
        {
            if (!File.Exists(Path.Combine("/usr/bin", tool)))
            {
                throw new InvalidOperationException($"{tool} is not installed (apt-get install radosgw ceph-mon ceph-osd); the test command installs it.");
            }
        }

        try
        {
            await StartClusterAsync();
            Identities = await CreateTenantAsync(tenant: null);
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>A new tenant with the three service identities: its own cctv-* buckets, apart from every other test's.</summary>
    public Task<S3Tenant> CreateTenantAsync() => CreateTenantAsync("t" + RandomNumberGenerator.GetHexString(12, lowercase: true));

    /// <summary>
    /// A new tenant set up as the compose file deploys: an owner made the four buckets, and the three service identities
    /// have exactly what <c>deploy/minio/policies</c> gives them (<see cref="ServicePolicies"/>).
    /// </summary>
    public async Task<S3Tenant> CreateDeployedTenantAsync()
    {
        var tenant = await CreateTenantAsync();
        tenant = tenant with { Owner = await CreateUserAsync("owner", tenant.Name) };
        await ServicePolicies.ApplyAsync(this, tenant);
        return tenant;
    }

    public async Task<S3User> CreateUserAsync(string name, string? tenant = null)
    {
        var user = new S3User(tenant, name,
            "AK" + RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 18),
            RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 40));
        string[] arguments = ["-c", _configuration, "user", "create", "--uid", name, "--display-name", name, "--access-key", user.AccessKey, "--secret-key", user.SecretKey];
        await RunAsync("radosgw-admin", tenant is null ? arguments : [.. arguments, "--tenant", tenant]);
        return user;
    }

    /// <summary>An S3 client as the product configures it (path-style, checksums only where the API requires them, ...).</summary>
    public AmazonS3Client ClientFor(S3User user) => Footage.Storage.Backends.S3ClientFactory.Create(new Footage.Storage.S3BackendOptions
    {
        ServiceUrl = ServiceUrl, AccessKey = user.AccessKey, SecretKey = user.SecretKey, Region = Region,
    });

    /// <summary>The product's settings for its S3 backend on this gateway as <paramref name="user"/>.</summary>
    public Dictionary<string, string?> S3Settings(S3User user) => new(StringComparer.OrdinalIgnoreCase)
    {
        ["Footage:Storage:S3:ServiceUrl"] = ServiceUrl,
        ["Footage:Storage:S3:AccessKey"] = user.AccessKey,
        ["Footage:Storage:S3:SecretKey"] = user.SecretKey,
        ["Footage:Storage:S3:Region"] = Region,
    };

    /// <summary>Stops radosgw alone (an object-store outage); the objects stay in the OSD until <see cref="StartGatewayAsync"/>.</summary>
    public async Task StopGatewayAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.StopAsync(StopGrace);
            _gateway = null;
        }
    }

    /// <summary>Starts radosgw again on the same port, with the same users and objects, and waits until it answers.</summary>
    public async Task StartGatewayAsync()
    {
        if (_gateway is { HasExited: false })
        {
            return;
        }

        _gateway = CephDaemon.Start("radosgw", "radosgw", ["-f", "-c", _configuration, "-n", "client.rgw"]);
        await WaitUntilAnsweringAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(new[] { _gateway, _osd, _monitor }.OfType<CephDaemon>().Select(d => d.StopAsync(StopGrace)));
        _gateway = _osd = _monitor = null;
        _folder.Dispose();
        GC.SuppressFinalize(this);
    }

    private async Task StartClusterAsync()
    {
        var folder = _folder.Path;
        foreach (var sub in new[] { "mon", "osd", "log", "run", "crash", "rgw" })
        {
            Directory.CreateDirectory(Path.Combine(folder, sub));
        }

        Port = FreePort.Next();
        var monitorPort = FreePort.Next();
        while (monitorPort == Port)
        {
            monitorPort = FreePort.Next();
        }

        var fsid = Guid.NewGuid();
        _configuration = CephConfiguration.Write(folder, fsid, monitorPort, Port, _memstoreBytes, LifecycleDay);

        var monmap = Path.Combine(folder, "monmap");
        await RunAsync("monmaptool", ["--create", "--fsid", fsid.ToString(), "--addv", "a", $"[v2:127.0.0.1:{monitorPort.ToString(CultureInfo.InvariantCulture)}]", monmap]);
        await RunAsync("ceph-mon", ["-c", _configuration, "-i", "a", "--mkfs", "--monmap", monmap]);
        _monitor = CephDaemon.Start("ceph-mon", "ceph-mon", ["-f", "-c", _configuration, "-i", "a"]);

        // waits for the monitor itself (connect timeout) and registers the OSD
        var osdUuid = Guid.NewGuid().ToString();
        var osdId = (await RunAsync("ceph", ["-c", _configuration, "--connect-timeout", "60", "osd", "new", osdUuid])).Trim();
        Directory.CreateDirectory(Path.Combine(folder, "osd", osdId));
        await RunAsync("ceph-osd", ["-c", _configuration, "-i", osdId, "--mkfs", "--osd-uuid", osdUuid]);
        _osd = CephDaemon.Start("ceph-osd", "ceph-osd", ["-f", "-c", _configuration, "-i", osdId]);

        // radosgw's pools up front in one session: made lazily they cost about a second at the first bucket or upload
        string[] pools = [".rgw.root", "default.rgw.log", "default.rgw.control", "default.rgw.meta", "default.rgw.buckets.index", "default.rgw.buckets.data", "default.rgw.buckets.non-ec"];
        var commands = string.Concat(pools.Select(p => $"osd pool create {p} 8 8\nosd pool application enable {p} rgw\n"));
        await RunAsync("ceph", ["-c", _configuration, "--connect-timeout", "60"], commands);

        _gateway = CephDaemon.Start("radosgw", "radosgw", ["-f", "-c", _configuration, "-n", "client.rgw"]);
        await WaitUntilAnsweringAsync();
    }

    private async Task<S3Tenant> CreateTenantAsync(string? tenant)
    {
        var users = await Task.WhenAll(CreateUserAsync("storage", tenant), CreateUserAsync("recording", tenant), CreateUserAsync("playback", tenant));
        return new S3Tenant(tenant, users[0], users[1], users[2]);
    }

    /// <summary>Until an anonymous GET / is answered by radosgw itself (its bucket list), failing early when a daemon dies.</summary>
    private async Task WaitUntilAnsweringAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            try
            {
                var body = await http.GetStringAsync(new Uri(ServiceUrl + "/"));
                if (body.Contains("ListAllMyBucketsResult", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // not yet
            }

            var dead = new[] { _monitor, _osd, _gateway }.OfType<CephDaemon>().FirstOrDefault(d => d.HasExited);
            if (dead is not null || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException(
                    $"radosgw did not answer on {ServiceUrl} ({(dead is null ? "timed out" : dead.Name + " exited")}). " +
                    string.Join("; ", new[] { _monitor, _osd, _gateway }.OfType<CephDaemon>().Select(d => d.Describe())) +
                    $" Logs: {Path.Combine(_folder.Path, "log")}");
            }

            await Task.Delay(100);
        }
    }

    private async Task<string> RunAsync(string tool, IReadOnlyList<string> arguments, string? input = null)
    {
        var command = Cli.Wrap(tool).WithArguments(arguments).WithWorkingDirectory(_folder.Path).WithValidation(CommandResultValidation.None);
        if (input is not null)
        {
            command = command.WithStandardInputPipe(PipeSource.FromString(input));
        }

        var result = await command.ExecuteBufferedAsync();
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {string.Join(' ', arguments)} failed ({result.ExitCode.ToString(CultureInfo.InvariantCulture)}): {result.StandardError}{result.StandardOutput}");
        }

        return result.StandardOutput;
    }
}
