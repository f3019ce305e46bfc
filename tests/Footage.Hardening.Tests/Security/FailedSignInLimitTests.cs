using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Footage.Data;
using Footage.Hardening.Tests.BadInput;
using Footage.Testing;
using Xunit;

namespace Footage.Hardening.Tests.Security;

/// <summary>
/// Brute force of API keys: after 5 credentials from one address that do not verify (this host's limit; 30 a minute by
/// default), that address gets 429 problem details with Retry-After, even for a right key, until the window ends; other
/// addresses, <c>/health</c>, and clients whose token merely expired or who sent nothing are not held back.
/// </summary>
public sealed class FailedSignInLimitTests : IAsyncLifetime
{
    private const int Limit = 5;
    private FootageServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await FootageServer.StartAsync(DatabaseKind.Sqlite, settings: new Dictionary<string, string?>(BearerTokens.Settings)
    {
        ["Footage:Security:FailedSignIns:Limit"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Footage:Security:FailedSignIns:Window"] = "00:00:05",
    });

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task An_address_that_keeps_guessing_keys_is_answered_429_until_its_window_ends_and_no_one_else_is()
    {
        var guesses = Enumerable.Range(0, Limit + 1).Select(i => $"ftg_guess_{i}_{Guid.NewGuid():N}").ToArray();
        for (var i = 0; i < Limit; i++)
        {
            using var guessing = ClientFrom.Address(_server.BaseAddress, "127.0.0.2", guesses[i]);
            await (await guessing.GetAsync("api/v1/auth/me")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        }

        using var oneMore = ClientFrom.Address(_server.BaseAddress, "127.0.0.2", guesses[Limit]);
        var refused = await oneMore.GetAsync("api/v1/auth/me");
        var problem = await refused.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Equal(429, problem.GetProperty("status").GetInt32());
        var retryAfter = refused.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value.TotalSeconds, 1, 5);

        // a right key from that address is refused as well: no answer tells a guess that hit from one that missed
        using var rightKeyThere = ClientFrom.Address(_server.BaseAddress, "127.0.0.2", FootageServer.AdminKey);
        await (await rightKeyThere.GetAsync("api/v1/auth/me")).AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Equal(HttpStatusCode.OK, (await rightKeyThere.GetAsync("health")).StatusCode);

        // another address is served
        Assert.Equal(HttpStatusCode.OK, (await _server.Admin.GetAsync("api/v1/auth/me")).StatusCode);

        // an expired token or no credentials at all are not guesses
        using var stale = ClientFrom.Address(_server.BaseAddress, "127.0.0.3");
        stale.DefaultRequestHeaders.Authorization = new("Bearer", BearerTokens.Mint("ada.admin", "admin", expiresIn: TimeSpan.FromMinutes(-5)));
        using var nobody = ClientFrom.Address(_server.BaseAddress, "127.0.0.3");
        for (var i = 0; i < Limit * 3; i++)
        {
            await (await stale.GetAsync("api/v1/auth/me")).AssertProblemAsync(HttpStatusCode.Unauthorized);
            await (await nobody.GetAsync("api/v1/auth/me")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        }

        using var rightKeyFromThree = ClientFrom.Address(_server.BaseAddress, "127.0.0.3", FootageServer.AdminKey);
        Assert.Equal(HttpStatusCode.OK, (await rightKeyFromThree.GetAsync("api/v1/auth/me")).StatusCode);

        // once the window has passed the right key works again from the blocked address
        await Task.Delay(retryAfter.Value);
        var served = false;
        for (var i = 0; i < 120 && !served; i++)
        {
            served = (await rightKeyThere.GetAsync("api/v1/auth/me")).StatusCode == HttpStatusCode.OK;
            if (!served)
            {
                await Task.Delay(250);
            }
        }

        Assert.True(served, "the address was still refused long after Retry-After");

        // the 429s are refused attempts in the audit log, and none of the guessed keys is stored
        var limited = (await _server.Admin.GetFromJsonAsync<JsonElement>("api/v1/audit?outcome=refused&limit=1000")).EnumerateArray()
            .Where(e => e.GetProperty("status").GetInt32() == 429).ToArray();
        Assert.NotEmpty(limited);
        Assert.All(limited, e => Assert.Equal("127.0.0.2", e.GetProperty("remote_ip").GetString()));
        Assert.All(limited, e => Assert.Equal("too many failed sign-ins from this address", e.GetProperty("reason").GetString()));
        var state = await StateSnapshot.TakeAsync(_server.Get<IDatabase>(), _server.DataDirectory);
        Assert.DoesNotContain(guesses, g => state.Contains(g, StringComparison.Ordinal));
    }
}
