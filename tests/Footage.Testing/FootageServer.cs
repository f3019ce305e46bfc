using System.Net.Http.Headers;
using System.Net.Http.Json;
using Footage.Server;
using Footage.ServiceDefaults;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Footage.Testing;

/// <summary>
/// The real host (Kestrel on a free port of 127.0.0.1) with its own data folder and database, started as
/// the product starts, and clients signed in with each role.
/// </summary>
public sealed class FootageServer : IAsyncDisposable
{
    public const string AdminKey = "ftg_test_admin_key_0123456789abcdefghijklmnopqrstuv";
    private readonly WebApplication _app;
    private readonly TempFolder _data;
    private readonly Dictionary<string, string> _roleKeys = new(StringComparer.Ordinal);

    private FootageServer(WebApplication app, TempFolder data, Uri baseAddress)
    {
        _app = app;
        _data = data;
        BaseAddress = baseAddress;
        Admin = CreateClient(AdminKey);
    }

    public Uri BaseAddress { get; }

    public IServiceProvider Services => _app.Services;

    public string DataDirectory => _data.Path;

    /// <summary>A client with the admin key.</summary>
    public HttpClient Admin { get; }

    /// <param name="services">Extra services registered after the modules' own (a hold provider, a fake clock).</param>
    public static async Task<FootageServer> StartAsync(
        DatabaseKind database, PostgresServer? postgres = null, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var data = new TempFolder("footage-server");
        var all = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Footage:DataDirectory"] = data.Path,
            ["Footage:Auth:AdminApiKey"] = AdminKey,
            ["Footage:Storage:Retention:Enabled"] = "false",
            ["Footage:Storage:Scrub:Enabled"] = "false",
            ["Footage:Recording:DemoCamera:Enabled"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        };
        if (database == DatabaseKind.Postgres)
        {
            ArgumentNullException.ThrowIfNull(postgres);
            all["Footage:Database:Provider"] = "postgresql";
            all["Footage:Database:ConnectionString"] = await postgres.CreateDatabaseAsync();
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var args = all.Where(kv => kv.Value is not null).Select(kv => $"--{kv.Key}={kv.Value}").ToArray();
        var app = FootageHost.Build(args, services);
        await app.PrepareDatabaseAsync();
        await app.StartAsync();
        await WaitForBucketSetupAsync(app.Services);
        var address = app.Urls.First();
        return new FootageServer(app, data, new Uri(address.EndsWith('/') ? address : address + "/"));
    }

    /// <summary>
    /// The S3 buckets are set up in the background after start; a test that uses them at once would race it. Waits until
    /// the first set-up attempt has ended (tests of a refused or unreachable store see Failed or Pending after the wait).
    /// </summary>
    private static async Task WaitForBucketSetupAsync(IServiceProvider services)
    {
        if (services.GetService<Footage.Storage.Buckets.BucketProvisioner>() is not { } buckets)
        {
            return;
        }

        // until the first attempt has ended, whatever its outcome: an unreachable store stays Pending and is not waited for
        var first = buckets.State;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (first.Status == Footage.Storage.Buckets.BucketSetupStatus.Pending && ReferenceEquals(buckets.State, first) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
    }

    public HttpClient CreateClient(string? apiKey = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        }

        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }

    /// <summary>A client signed in with a fresh API key of the role (viewer, operator, admin).</summary>
    public async Task<HttpClient> ClientAsync(string role)
    {
        if (!_roleKeys.TryGetValue(role, out var key))
        {
            var response = await Admin.PostAsJsonAsync("api/v1/auth/keys", new { name = $"{role}-{Guid.NewGuid():N}", role });
            response.EnsureSuccessStatusCode();
            var created = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
            key = created.GetProperty("key").GetString()!;
            _roleKeys[role] = key;
        }

        return CreateClient(key);
    }

    public T Get<T>()
        where T : notnull => _app.Services.GetRequiredService<T>();

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _data.Dispose();
    }
}
