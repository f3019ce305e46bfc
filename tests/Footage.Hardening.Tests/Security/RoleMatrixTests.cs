using System.Net;
using System.Text;
using Footage.Hardening.Tests.Api;
using Footage.Hardening.Tests.BadInput;
using Footage.Testing;
using Xunit;

namespace Footage.Hardening.Tests.Security;

/// <summary>
/// Every documented operation called by no one, a viewer, an operator and an admin: each role below the expected
/// one is refused (401 without credentials, 403 with too small a role), each role at or above it gets past the door.
/// Ids are fresh UUIDs and bodies empty objects, so an admitted call answers 400 or 404 and changes nothing.
/// </summary>
public sealed class RoleMatrixTests(ITestOutputHelper output) : IAsyncLifetime
{
    private FootageServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await FootageServer.StartAsync(DatabaseKind.Sqlite);

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Every_endpoint_admits_exactly_the_roles_at_or_above_its_expected_role()
    {
        var surface = await ApiSurface.ReadAsync(_server.CreateClient());
        var missing = surface.Operations.Select(o => ExpectedRoles.Normalise(o.Key)).Where(k => !ExpectedRoles.ByOperation.ContainsKey(k)).ToArray();
        Assert.True(missing.Length == 0, "these endpoints have no expected role in ExpectedRoles (decide who may call them):\n" + string.Join("\n", missing));

        var clients = new (string Role, HttpClient Client)[]
        {
            (ExpectedRoles.Anyone, _server.CreateClient()),
            (ExpectedRoles.Viewer, await _server.ClientAsync("viewer")),
            (ExpectedRoles.Operator, await _server.ClientAsync("operator")),
            (ExpectedRoles.Admin, _server.Admin),
        };
        var wrong = new List<string>();
        var checks = 0;
        foreach (var operation in surface.Operations)
        {
            var expected = ExpectedRoles.ByOperation[ExpectedRoles.Normalise(operation.Key)];
            foreach (var (role, client) in clients)
            {
                using var request = Harmless(operation);
                using var response = await client.SendAsync(request);
                var status = (int)response.StatusCode;
                var admitted = status is not (401 or 403);
                var shouldBe = ExpectedRoles.Rank(role) >= ExpectedRoles.Rank(expected);
                checks++;
                if (admitted != shouldBe)
                {
                    wrong.Add($"{operation.Key} as {role}: {status} (expected {(shouldBe ? "admitted" : "refused")}; least role {expected})");
                }
                else if (!admitted && status != (role == ExpectedRoles.Anyone ? 401 : 403))
                {
                    wrong.Add($"{operation.Key} as {role}: {status}, expected {(role == ExpectedRoles.Anyone ? 401 : 403)}");
                }
                else if (status >= 500)
                {
                    wrong.Add($"{operation.Key} as {role}: {status}");
                }
            }
        }

        output.WriteLine($"{surface.Operations.Count} operations × 4 callers = {checks} checks; wrong: {wrong.Count}");
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

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
}
