using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Footage.Core.Cameras;
using Footage.Data;
using Footage.ServiceDefaults.Secrets;
using Footage.Storage.Cameras;
using Footage.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Footage.Hardening.Tests.Security;

/// <summary>
/// A camera's RTSP password goes to ffmpeg and nowhere else: not into any log line (the recorder failing to reach
/// the camera included, exceptions with it), not into any answer of the API, and not into the database, where it is
/// encrypted (rows stored as plaintext by an older version are encrypted at start).
/// </summary>
public sealed class CredentialLeakTests : IAsyncLifetime
{
    private const string Password = "Pa55-word-never-shown-7f3a";
    private const string User = "camera-admin-user";
    private readonly CapturedLogs _logs = new();
    private FootageServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await FootageServer.StartAsync(
        DatabaseKind.Sqlite,
        settings: new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Debug", ["Logging:LogLevel:Microsoft.AspNetCore"] = "Debug" },
        services: s => s.AddSingleton<ILoggerProvider>(_logs));

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task The_rtsp_password_is_in_no_log_line_and_no_response_even_when_recording_fails()
    {
        var closedPort = FreePort.Next();
        var url = $"rtsp://{User}:{Password}@127.0.0.1:{closedPort}/stream1";
        var responses = new List<string>();
        var created = await _server.Admin.PostAsJsonAsync("api/v1/cameras", new { name = "Credentials", rtsp_url = url });
        responses.Add(await created.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = JsonDocument.Parse(responses[0]).RootElement.GetProperty("id").GetString();

        var start = await _server.Admin.PostAsync($"api/v1/recording/start/{id}", null);
        responses.Add(await start.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);

        // the recorder tries, fails to connect and says why: the reason must not carry the password
        string? lastError = null;
        for (var i = 0; i < 240 && lastError is null; i++)
        {
            await Task.Delay(250);
            var status = await _server.Admin.GetStringAsync($"api/v1/recording/status/{id}");
            responses.Add(status);
            lastError = JsonDocument.Parse(status).RootElement.GetProperty("last_error").GetString();
        }

        Assert.NotNull(lastError);
        var stop = await _server.Admin.PostAsync($"api/v1/recording/stop/{id}", null);
        responses.Add(await stop.Content.ReadAsStringAsync());
        var put = await _server.Admin.PutAsJsonAsync($"api/v1/cameras/{id}", new { name = "Credentials 2", rtsp_url = url });
        responses.Add(await put.Content.ReadAsStringAsync());
        foreach (var path in new[] { $"api/v1/cameras/{id}", "api/v1/cameras", "api/v1/recording/status", "api/v1/audit", "openapi/v1.json" })
        {
            responses.Add(await _server.Admin.GetStringAsync(path));
        }

        Assert.DoesNotContain(responses, r => r.Contains(Password, StringComparison.Ordinal) || r.Contains(User, StringComparison.Ordinal));
        Assert.NotEmpty(_logs.Lines);
        var leaks = _logs.Lines.Where(l => l.Contains(Password, StringComparison.Ordinal)).ToArray();
        Assert.True(leaks.Length == 0, $"{leaks.Length} of {_logs.Lines.Count} log lines carry the RTSP password:\n{string.Join("\n", leaks.Take(5))}");
        Assert.Contains(_logs.Lines, l => l.Contains($"127.0.0.1:{closedPort}", StringComparison.Ordinal)); // the recorder did log its attempts

        // at rest: the database holds neither, yet the recorder's directory gives ffmpeg the whole URL
        var state = await BadInput.StateSnapshot.TakeAsync(_server.Get<IDatabase>(), _server.DataDirectory);
        Assert.DoesNotContain(Password, state, StringComparison.Ordinal);
        Assert.DoesNotContain(User, state, StringComparison.Ordinal);
        Assert.Contains(CredentialProtector.Prefix, state, StringComparison.Ordinal);
        Assert.Equal(url, (await _server.Get<ICameraDirectory>().GetAsync(Guid.Parse(id!), CancellationToken.None))!.RtspUrl);
    }

    [Fact]
    public async Task Credentials_stored_as_plaintext_before_are_encrypted_and_still_work()
    {
        var id = Guid.NewGuid();
        var url = $"rtsp://{User}:{Password}@10.9.8.7:554/old";
        var database = _server.Get<IDatabase>();
        var d = database.Dialect;
        await using (var connection = await database.OpenAsync(CancellationToken.None))
        {
            // a row as an older version wrote it
            await using var insert = connection.Command(
                    "INSERT INTO cameras (id, name, source, rtsp_url, storage_mode, retention_days, enabled, created_at, updated_at) VALUES (@id, 'old', NULL, @url, 'LOCAL', NULL, @enabled, @now, @now)")
                .With("id", d.Id(id)).With("url", url).With("enabled", d.IsPostgres ? true : 1).With("now", d.Time(DateTimeOffset.UtcNow));
            await insert.ExecuteNonQueryAsync();
        }

        Assert.Contains(Password, await BadInput.StateSnapshot.TakeAsync(database, _server.DataDirectory), StringComparison.Ordinal);
        var cameras = _server.Get<CameraRepository>();
        Assert.Equal(url, (await cameras.GetAsync(id, CancellationToken.None))!.RtspUrl); // readable before the migration

        Assert.Equal(1, await cameras.ProtectPlaintextCredentialsAsync(CancellationToken.None));
        Assert.Equal(0, await cameras.ProtectPlaintextCredentialsAsync(CancellationToken.None));
        Assert.DoesNotContain(Password, await BadInput.StateSnapshot.TakeAsync(database, _server.DataDirectory), StringComparison.Ordinal);
        Assert.Equal(url, (await cameras.GetAsync(id, CancellationToken.None))!.RtspUrl);
        Assert.DoesNotContain(Password, await _server.Admin.GetStringAsync($"api/v1/cameras/{id}"), StringComparison.Ordinal);
    }
}
