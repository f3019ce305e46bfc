using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Footage.Hardening.Tests.Api;
using Footage.Milestone.Simulator;
using Footage.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Footage.Hardening.Tests.Security;

/// <summary>
/// Milestone's user name and password, and the tokens Milestone issues for them (identity provider and session), go to
/// Milestone and nowhere else: not into any log line of the host at Debug level, not into any answer, whether Milestone
/// accepts the credentials (cameras listed, catalog synchronised, footage played through the ImageServer) or refuses them.
/// </summary>
public sealed class MilestoneCredentialLeakTests : IAsyncLifetime
{
    private const string User = "ms-service-user-c81f44";
    private const string Password = "Ms-Pa55-never-shown-5d0e";
    private const string WrongPassword = "Wrong-Ms-Pa55-3c1a";
    private readonly CapturedLogs _logs = new();
    private MilestoneSimulator _milestone = null!;

    public async ValueTask InitializeAsync() => _milestone = await SimulatedMilestone.StartAsync(User, Password);

    public async ValueTask DisposeAsync() => await _milestone.DisposeAsync();

    [Fact]
    public async Task Milestone_credentials_and_tokens_are_in_no_log_line_and_no_answer_accepted_or_refused()
    {
        var responses = new List<string>();
        await using (var server = await StartAsync(Password))
        {
            var viewer = await server.ClientAsync("viewer");
            var op = await server.ClientAsync("operator");
            responses.Add((await (await viewer.GetAsync("api/v1/milestone/cameras")).AssertJsonAsync(HttpStatusCode.OK)).ToString());
            var sync = await (await op.PostAsync("api/v1/milestone/sync", null)).AssertJsonAsync(HttpStatusCode.OK);
            responses.Add(sync.ToString());
            Assert.True(sync.GetProperty("segments_registered").GetInt32() >= 1, sync.ToString());

            var camera = SimulatedMilestone.Camera;
            var from = Iso(SimulatedMilestone.RecordedAt);
            var to = Iso(SimulatedMilestone.RecordedAt.AddSeconds(6));
            var playlist = await viewer.GetStringAsync($"api/v1/playback/{camera}/hls?from={from}&to={to}");
            responses.Add(playlist);
            var media = playlist.Split('\n').First(l => l.StartsWith("m/", StringComparison.Ordinal)).Trim();
            var chunk = await server.CreateClient().GetAsync($"api/v1/playback/{camera}/{media}");
            Assert.Equal(HttpStatusCode.OK, chunk.StatusCode); // read from Milestone's ImageServer with the session token
            Assert.True((await chunk.Content.ReadAsByteArrayAsync()).Length > 0);
            foreach (var path in new[] { "api/v1/cameras", $"api/v1/cameras/{camera}", $"api/v1/storage/segments/{camera}", "api/v1/recording/status", "api/v1/audit", "openapi/v1.json", "health", "metrics" })
            {
                responses.Add(await server.Admin.GetStringAsync(path));
            }
        }

        await using (var refused = await StartAsync(WrongPassword))
        {
            var op = await refused.ClientAsync("operator");
            responses.Add((await (await op.PostAsync("api/v1/milestone/sync", null)).AssertProblemAsync(HttpStatusCode.BadGateway)).ToString());
            responses.Add((await (await op.GetAsync("api/v1/milestone/cameras")).AssertProblemAsync(HttpStatusCode.BadGateway)).ToString());
            responses.Add(await (await refused.CreateClient().GetAsync("health")).Content.ReadAsStringAsync());
            responses.Add(await refused.Admin.GetStringAsync("api/v1/audit"));
        }

        var tokens = _milestone.Tokens.Issued;
        Assert.NotEmpty(tokens);
        string[] secrets = [User, Password, WrongPassword, .. tokens];
        var leakedInAnswers = secrets.Where(s => responses.Any(r => r.Contains(s, StringComparison.Ordinal))).ToArray();
        Assert.True(leakedInAnswers.Length == 0, "in answers: " + string.Join(", ", leakedInAnswers));
        Assert.Contains(_logs.Lines, l => l.Contains("Milestone", StringComparison.Ordinal)); // the adapter did log its work
        var leakedInLogs = _logs.Lines.Where(l => secrets.Any(s => l.Contains(s, StringComparison.Ordinal))).ToArray();
        Assert.True(leakedInLogs.Length == 0, $"{leakedInLogs.Length} of {_logs.Lines.Count} log lines carry a Milestone credential or token:\n{string.Join("\n", leakedInLogs.Take(5))}");
    }

    [Fact]
    public async Task A_server_url_that_carries_credentials_stops_the_host_at_start()
    {
        var url = new UriBuilder(_milestone.BaseUri) { UserName = User, Password = Password }.Uri.ToString();
        var error = await Assert.ThrowsAnyAsync<Exception>(() => FootageServer.StartAsync(DatabaseKind.Sqlite, settings: new Dictionary<string, string?>(SimulatedMilestone.Settings(_milestone))
        {
            ["Footage:Milestone:ServerUrl"] = url,
        }));
        Assert.Contains("must not carry a user or password", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Password, error.ToString(), StringComparison.Ordinal);
    }

    private Task<FootageServer> StartAsync(string password) => FootageServer.StartAsync(
        DatabaseKind.Sqlite,
        settings: new Dictionary<string, string?>(SimulatedMilestone.Settings(_milestone, password))
        {
            ["Logging:LogLevel:Default"] = "Debug",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Debug",
        },
        services: s => s.AddSingleton<ILoggerProvider>(_logs));

    private static string Iso(DateTimeOffset t) => Uri.EscapeDataString(t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
}
