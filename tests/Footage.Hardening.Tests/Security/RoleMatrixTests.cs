using System.Text;
using Footage.Hardening.Tests.Api;
using Footage.Milestone.Simulator;
using Footage.Testing;
using Xunit;

namespace Footage.Hardening.Tests.Security;

/// <summary>
/// Every documented operation of a host with every module and Milestone configured, called by no one, by API keys and by
/// bearer tokens of each role, and by tokens that are wrong in each way: each caller below the expected role is refused
/// (401 without valid credentials, 403 with too small a role or none) with problem details, each at or above it gets past
/// the door. Ids are fresh UUIDs and bodies empty objects, so an admitted call answers 400 or 404 and changes nothing.
/// </summary>
public sealed class RoleMatrixTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly string[] ViewerAndOperator = ["viewer", "operator"];
    private MilestoneSimulator _milestone = null!;
    private FootageServer _server = null!;

    public async ValueTask InitializeAsync()
    {
        _milestone = await SimulatedMilestone.StartAsync();
        var settings = new Dictionary<string, string?>(BearerTokens.Settings.Concat(SimulatedMilestone.Settings(_milestone)))
        {
            // the wrongly signed tokens below are hundreds of failed sign-ins from one address; that limit has its own tests
            ["Footage:Security:FailedSignIns:Limit"] = "0",
        };
        _server = await FootageServer.StartAsync(DatabaseKind.Sqlite, settings: settings);
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        await _milestone.DisposeAsync();
    }

    [Fact]
    public async Task Every_endpoint_admits_exactly_the_roles_at_or_above_its_expected_role_by_key_and_by_bearer_token()
    {
        var surface = await ApiSurface.ReadAsync(_server.CreateClient());
        var keys = surface.Operations.Select(o => ExpectedRoles.Normalise(o.Key)).ToHashSet(StringComparer.Ordinal);
        var missing = keys.Where(k => !ExpectedRoles.ByOperation.ContainsKey(k)).Order(StringComparer.Ordinal).ToArray();
        Assert.True(missing.Length == 0, "these endpoints have no expected role in ExpectedRoles (decide who may call them):\n" + string.Join("\n", missing));
        var stale = ExpectedRoles.ByOperation.Keys.Where(k => !keys.Contains(k)).Order(StringComparer.Ordinal).ToArray();
        Assert.True(stale.Length == 0, "ExpectedRoles lists operations the host does not document (removed or renamed?):\n" + string.Join("\n", stale));
        Assert.Contains("POST /api/v1/milestone/sync", keys);

        var callers = new Caller[]
        {
            new("no credentials", _server.CreateClient(), ExpectedRoles.Anyone, 401),
            new("an unknown API key", _server.CreateClient("ftg_not_a_key_of_this_host_0123456789abcdefghijk"), ExpectedRoles.Anyone, 401),
            new("a viewer key", await _server.ClientAsync("viewer"), ExpectedRoles.Viewer, 403),
            new("an operator key", await _server.ClientAsync("operator"), ExpectedRoles.Operator, 403),
            new("the admin key", _server.Admin, ExpectedRoles.Admin, 403),
            Bearer("a viewer token", BearerTokens.Mint("vera.viewer", "viewer"), ExpectedRoles.Viewer, 403),
            Bearer("an operator token", BearerTokens.Mint("otto.operator", "operator"), ExpectedRoles.Operator, 403),
            Bearer("an admin token", BearerTokens.Mint("ada.admin", "admin"), ExpectedRoles.Admin, 403),
            Bearer("a token with roles [viewer, operator]", BearerTokens.Mint("olga.operator", ViewerAndOperator), ExpectedRoles.Operator, 403),
            Bearer("a token without a role", BearerTokens.Mint("nora.norole", null), ExpectedRoles.Anyone, 403),
            Bearer("a token with an unknown role", BearerTokens.Mint("sam.super", "superuser"), ExpectedRoles.Anyone, 403),
            Bearer("an expired admin token", BearerTokens.Mint("ada.admin", "admin", expiresIn: TimeSpan.FromMinutes(-5)), ExpectedRoles.Anyone, 401),
            Bearer("an admin token signed with another key", BearerTokens.Mint("ada.admin", "admin", signingKey: BearerTokens.OtherSigningKey), ExpectedRoles.Anyone, 401),
            Bearer("an admin token from another issuer", BearerTokens.Mint("ada.admin", "admin", issuer: "https://elsewhere.test/"), ExpectedRoles.Anyone, 401),
            Bearer("an admin token for another audience", BearerTokens.Mint("ada.admin", "admin", audience: "another-service"), ExpectedRoles.Anyone, 401),
            Bearer("an unsigned admin token", BearerTokens.Mint("ada.admin", "admin", signed: false), ExpectedRoles.Anyone, 401),
        };
        var wrong = new List<string>();
        var checks = 0;
        foreach (var operation in surface.Operations)
        {
            var expected = ExpectedRoles.ByOperation[ExpectedRoles.Normalise(operation.Key)];
            foreach (var caller in callers)
            {
                using var request = Harmless(operation);
                using var response = await caller.Client.SendAsync(request);
                var status = (int)response.StatusCode;
                var admitted = status is not (401 or 403);
                var shouldBe = ExpectedRoles.Rank(caller.Rank) >= ExpectedRoles.Rank(expected);
                checks++;
                if (admitted != shouldBe)
                {
                    wrong.Add($"{operation.Key} by {caller.Name}: {status} (expected {(shouldBe ? "admitted" : "refused")}; least role {expected})");
                }
                else if (!admitted && status != caller.Refusal)
                {
                    wrong.Add($"{operation.Key} by {caller.Name}: {status}, expected {caller.Refusal}");
                }
                else if (!admitted && operation.Method != "HEAD" && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                {
                    wrong.Add($"{operation.Key} by {caller.Name}: {status} as {response.Content.Headers.ContentType?.MediaType ?? "no content type"}, not problem details");
                }
                else if (status >= 500)
                {
                    wrong.Add($"{operation.Key} by {caller.Name}: {status}");
                }
            }
        }

        output.WriteLine($"{surface.Operations.Count} operations × {callers.Length} callers = {checks} checks; wrong: {wrong.Count}");
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    private Caller Bearer(string name, string token, string rank, int refusal) => new(name, BearerTokens.Client(_server, token), rank, refusal);

    /// <summary>Fresh ids everywhere and an empty object as the body: admitted calls find nothing to change.</summary>
    private static HttpRequestMessage Harmless(ApiOperation operation)
    {
        var path = operation.PathTemplate;
        foreach (var name in operation.PathParameterNames)
        {
            path = path.Replace("{" + name + "}", Guid.NewGuid().ToString(), StringComparison.Ordinal);
        }

        var request = new HttpRequestMessage(new HttpMethod(operation.Method), path.TrimStart('/'));
        if (operation.Method is "POST" or "PUT" or "PATCH")
        {
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        }

        return request;
    }

    /// <param name="Rank">The role the caller holds (<see cref="ExpectedRoles.Anyone"/> for none).</param>
    /// <param name="Refusal">What it gets where its role is not enough: 401 without valid credentials, 403 with them.</param>
    private sealed record Caller(string Name, HttpClient Client, string Rank, int Refusal);
}
