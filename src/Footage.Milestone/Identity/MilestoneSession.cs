using Footage.Milestone.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Footage.Milestone.Identity;

/// <summary>
/// The one Milestone session of this process: an identity-provider token exchanged by <c>Login</c> for a
/// session token, renewed by <c>Login(currentToken)</c> before it expires, and signed in anew when Milestone
/// says it is invalid or expired. Also keeps the camera list of GetConfiguration for a few minutes.
/// </summary>
public sealed class MilestoneSession(
    IdentityProviderClient identity, ServerCommandClient serverCommand, IOptions<MilestoneOptions> options, TimeProvider clock, ILogger<MilestoneSession> logger) : IDisposable
{
    private static readonly TimeSpan CamerasFor = TimeSpan.FromMinutes(2);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Guid _instanceId = Guid.NewGuid();
    private IdentityProviderClient.AccessToken? _access;
    private ServerCommandClient.LoginResult? _session;
    private (IReadOnlyList<MilestoneCamera> Cameras, DateTimeOffset At)? _cameras;

    /// <summary>How many times a session token was obtained (new sessions and renewals).</summary>
    public int Logins { get; private set; }

    /// <summary>A session token valid for a while yet: renewed when less than <see cref="MilestoneOptions.RenewWhenLeft"/> of its life is left.</summary>
    public async Task<string> TokenAsync(CancellationToken cancellationToken)
    {
        var current = _session;
        if (current is not null && !NeedsRenewal(current))
        {
            return current.Token;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            current = _session;
            if (current is not null && !NeedsRenewal(current))
            {
                return current.Token;
            }

            _session = await LoginAsync(current, cancellationToken);
            return _session.Token;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Milestone refused this token: the next <see cref="TokenAsync"/> signs in anew.</summary>
    public void Invalidate(string token)
    {
        if (_session?.Token == token)
        {
            _session = null;
        }
    }

    /// <summary>
    /// Runs a request with a session token. When Milestone says the token is invalid or expired, signs in again and retries
    /// once; when it says to try again (error 20001, sub-error 4: the token is fine), waits and retries with the same token,
    /// up to <see cref="MilestoneOptions.BusyRetries"/> times.
    /// </summary>
    public async Task<T> WithTokenAsync<T>(Func<string, Task<T>> request, CancellationToken cancellationToken)
    {
        var signedInAgain = false;
        var busy = 0;
        while (true)
        {
            var token = await TokenAsync(cancellationToken);
            try
            {
                return await request(token);
            }
            catch (MilestoneException e) when (e.IsTokenProblem && !signedInAgain)
            {
                logger.LogInformation("Milestone refused the session token ({Failure}); signing in again", e.Failure);
                Invalidate(token);
                signedInAgain = true;
            }
            catch (MilestoneException e) when (e.Failure == MilestoneFailure.Busy && busy < options.Value.BusyRetries)
            {
                busy++;
                var wait = options.Value.BusyRetryDelay * busy;
                logger.LogInformation("Milestone asked to try again ({Reason}); repeat {Repeat} in {Wait}", e.Message, busy, wait);
                MilestoneMetrics.BusyRetries.Inc();
                await Task.Delay(wait, clock, cancellationToken);
            }
        }
    }

    public async Task<IReadOnlyList<MilestoneCamera>> CamerasAsync(bool refresh, CancellationToken cancellationToken)
    {
        if (!refresh && _cameras is { } cached && clock.GetUtcNow() - cached.At < CamerasFor)
        {
            return cached.Cameras;
        }

        var cameras = await WithTokenAsync(async token => await serverCommand.GetCamerasAsync(token, await AccessTokenAsync(cancellationToken), cancellationToken), cancellationToken);
        _cameras = (cameras, clock.GetUtcNow());
        return cameras;
    }

    /// <summary>The camera with this Milestone device id, or a clear refusal naming it.</summary>
    public async Task<MilestoneCamera> CameraAsync(Guid deviceId, CancellationToken cancellationToken)
    {
        var camera = (await CamerasAsync(false, cancellationToken)).FirstOrDefault(c => c.DeviceId == deviceId)
            ?? (await CamerasAsync(true, cancellationToken)).FirstOrDefault(c => c.DeviceId == deviceId);
        return camera ?? throw new MilestoneException(MilestoneFailure.UnknownCamera, $"Milestone's configuration has no camera with device id {deviceId}.");
    }

    public void Dispose() => _gate.Dispose();

    private bool NeedsRenewal(ServerCommandClient.LoginResult session)
    {
        var left = session.ExpiresAt - clock.GetUtcNow();
        return left < session.TimeToLive * options.Value.RenewWhenLeft;
    }

    private async Task<ServerCommandClient.LoginResult> LoginAsync(ServerCommandClient.LoginResult? current, CancellationToken cancellationToken)
    {
        var renewable = current is not null && current.ExpiresAt > clock.GetUtcNow();
        try
        {
            var result = await serverCommand.LoginAsync(_instanceId, renewable ? current!.Token : string.Empty, await AccessTokenAsync(cancellationToken), cancellationToken);
            Logins++;
            logger.LogInformation("Milestone session {Action}; valid until {ExpiresAt:O}", renewable ? "renewed" : "opened", result.ExpiresAt);
            return result;
        }
        catch (MilestoneException e) when (renewable && (e.IsTokenProblem || e.Failure == MilestoneFailure.BadCredentials))
        {
            // the session ended on Milestone's side (or the identity token did): start over with a new one
            _access = null;
            var result = await serverCommand.LoginAsync(_instanceId, string.Empty, await AccessTokenAsync(cancellationToken), cancellationToken);
            Logins++;
            return result;
        }
    }

    private async Task<string> AccessTokenAsync(CancellationToken cancellationToken)
    {
        if (_access is null || _access.ExpiresAt - clock.GetUtcNow() < TimeSpan.FromSeconds(30))
        {
            _access = await identity.RequestAsync(cancellationToken);
        }

        return _access.Value;
    }
}
