using System.Collections.Concurrent;

namespace Footage.Milestone.Simulator;

/// <summary>Identity-provider tokens and session tokens the simulator issued, with their expiry; tests can expire or revoke them.</summary>
public sealed class SessionTokens(TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _access = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _revoked = new(StringComparer.Ordinal);

    public TimeSpan AccessLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Milestone hands out 1 to 4 hours; tests shorten it to see renewal.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(4);

    public int Logins { get; private set; }

    /// <summary>Every identity-provider and session token issued so far (a test checks none of them leaks).</summary>
    public IReadOnlyCollection<string> Issued => [.. _access.Keys, .. _sessions.Keys];

    public int Renewals { get; private set; }

    public string IssueAccess()
    {
        var token = "idp-" + Guid.NewGuid().ToString("N");
        _access[token] = clock.GetUtcNow() + AccessLifetime;
        return token;
    }

    public bool AccessValid(string? token) => token is not null && _access.TryGetValue(token, out var until) && until > clock.GetUtcNow();

    /// <summary>A new session token in Milestone's shape (<c>TOKEN#guid#host//ServerConnector#</c>).</summary>
    public string IssueSession(bool renewal)
    {
        var token = $"TOKEN#{Guid.NewGuid()}#simulator//ServerConnector#";
        _sessions[token] = clock.GetUtcNow() + SessionLifetime;
        if (renewal)
        {
            Renewals++;
        }
        else
        {
            Logins++;
        }

        return token;
    }

    /// <summary>0 = valid, 2 = invalid (unknown or revoked), 3 = expired: Milestone's sub-errors of error 20001.</summary>
    public int Check(string? token)
    {
        if (token is null || !_sessions.TryGetValue(token, out var until) || _revoked.ContainsKey(token))
        {
            return 2;
        }

        return until > clock.GetUtcNow() ? 0 : 3;
    }

    /// <summary>Every session token issued so far is now expired.</summary>
    public void ExpireAll()
    {
        foreach (var key in _sessions.Keys)
        {
            _sessions[key] = DateTimeOffset.MinValue;
        }
    }

    /// <summary>Every session token issued so far is now invalid (as after a server restart).</summary>
    public void RevokeAll()
    {
        foreach (var key in _sessions.Keys)
        {
            _revoked[key] = true;
        }
    }
}
