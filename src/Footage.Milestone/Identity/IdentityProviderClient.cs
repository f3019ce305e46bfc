using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Footage.Milestone.Identity;

/// <summary>OAuth2 password grant at Milestone's identity provider (<c>POST {server}/IDP/connect/token</c>).</summary>
public sealed class IdentityProviderClient(HttpClient http, IOptions<MilestoneOptions> options, TimeProvider clock)
{
    public sealed record AccessToken(string Value, DateTimeOffset ExpiresAt);

    public async Task<AccessToken> RequestAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var endpoint = new Uri(settings.ServerBaseUri, settings.TokenPath);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["username"] = settings.Username ?? string.Empty,
            ["password"] = settings.Password ?? string.Empty,
            ["client_id"] = settings.ClientId,
        });
        HttpResponseMessage response;
        try
        {
            response = await http.PostAsync(endpoint, form, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw Fail(new MilestoneException(MilestoneFailure.Unreachable, $"Milestone's identity provider at {endpoint} did not answer: {e.Message}", e));
        }

        using (response)
        {
            JsonElement body;
            try
            {
                body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            }
            catch (JsonException)
            {
                throw Fail(new MilestoneException(MilestoneFailure.Protocol, $"Milestone's identity provider answered HTTP {(int)response.StatusCode} without JSON."));
            }

            if (body.ValueKind == JsonValueKind.Object && body.TryGetProperty("access_token", out var token) && token.GetString() is { Length: > 0 } value)
            {
                var seconds = body.TryGetProperty("expires_in", out var expires) && expires.TryGetInt32(out var s) ? s : 3600;
                MilestoneMetrics.Requests.WithLabels("token", "ok").Inc();
                return new AccessToken(value, clock.GetUtcNow().AddSeconds(seconds));
            }

            var error = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("error", out var e) ? e.GetString() : null;
            var description = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("error_description", out var d) ? d.GetString() : null;
            var failure = error is "invalid_grant" or "invalid_client" or "unauthorized_client" ? MilestoneFailure.BadCredentials : MilestoneFailure.Refused;
            throw Fail(new MilestoneException(failure,
                $"Milestone's identity provider refused the sign-in of the configured user ({MilestoneOptions.Section}:Username): {error ?? $"HTTP {(int)response.StatusCode}"}{(description is null ? string.Empty : $" ({description})")}."));
        }
    }

    private static MilestoneException Fail(MilestoneException e)
    {
        MilestoneMetrics.Requests.WithLabels("token", "error").Inc();
        MilestoneMetrics.Failed(e);
        return e;
    }
}
