using Footage.ServiceDefaults.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Footage.ServiceDefaults.Audit;

/// <summary>
/// Writes refused attempts to the audit log without letting a flood of them fill it (see <see cref="RefusedAuditOptions"/>):
/// per window, the first few of each address are entries of their own, the rest of that address are counted in one
/// coalesced entry, and past the overall cap every further address shares one. Coalesced counts are kept in memory and
/// written by <see cref="RefusalAuditFlusher"/> (within a second), so a flood costs no database write per request.
/// At most <c>2 × Entries + 1</c> entries are written per window, whatever arrives.
/// </summary>
public sealed class RefusalAuditor(AuditLog log, IOptions<SecurityOptions> options, TimeProvider clock, ILogger<RefusalAuditor> logger) : IDisposable
{
    private const string ManyAddresses = "*";
    private readonly RefusedAuditOptions _options = options.Value.RefusedAudit;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _itemised = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Coalesced> _coalesced = new(StringComparer.Ordinal);
    private readonly List<Coalesced> _retired = [];
    // released when a count turns dirty, so that the flusher sleeps while nothing is refused instead of waking every second
    private readonly SemaphoreSlim _dirty = new(0, 1);
    private DateTimeOffset _windowEnds = DateTimeOffset.MinValue;
    private int _itemisedTotal;

    /// <summary>Completes once a coalesced count waits to be written (at once when one already does).</summary>
    public Task WaitForCountsAsync(CancellationToken cancellationToken) => _dirty.WaitAsync(cancellationToken);

    /// <param name="clientAddress">What refusals are counted by (<see cref="ClientAddress"/>).</param>
    public async Task RecordAsync(AuditEntry refusal, string clientAddress, CancellationToken cancellationToken)
    {
        bool itemise;
        lock (_gate)
        {
            RollIfDue(refusal.OccurredAt);
            var count = _itemised.GetValueOrDefault(clientAddress);
            itemise = count < _options.EntriesPerAddress && _itemisedTotal < _options.Entries;
            if (itemise)
            {
                _itemised[clientAddress] = count + 1;
                _itemisedTotal++;
            }
            else
            {
                Coalesce(clientAddress, refusal);
            }
        }

        if (itemise)
        {
            await log.AppendAsync(refusal, cancellationToken);
        }
    }

    /// <summary>Writes the coalesced counts that changed since the last flush, and those of windows that have ended.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        List<AuditEntry> due;
        lock (_gate)
        {
            RollIfDue(clock.GetUtcNow());
            due = _retired.Concat(_coalesced.Values).Where(c => c.Dirty).Select(c =>
            {
                c.Dirty = false;
                return c.First with { Attempts = c.Attempts, LastAt = c.LastAt };
            }).ToList();
            _retired.Clear();
        }

        foreach (var entry in due)
        {
            try
            {
                await log.UpsertAsync(entry, cancellationToken);
            }
            catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
            {
                logger.LogError(e, "Could not write the count of {Attempts} refused attempts from {RemoteIp}", entry.Attempts, entry.RemoteIp ?? "many addresses");
            }
        }
    }

    public void Dispose() => _dirty.Dispose();

    private void Coalesce(string clientAddress, AuditEntry refusal)
    {
        var key = _coalesced.ContainsKey(clientAddress) || _coalesced.Count < _options.Entries ? clientAddress : ManyAddresses;
        if (!_coalesced.TryGetValue(key, out var coalesced))
        {
            var first = key == ManyAddresses
                ? refusal with { Id = Guid.NewGuid(), Actor = "anonymous", Role = null, KeyId = null, RemoteIp = null, Reason = "from many addresses" }
                : refusal with { Id = Guid.NewGuid() };
            _coalesced[key] = coalesced = new Coalesced(first);
        }

        coalesced.Attempts++;
        coalesced.LastAt = refusal.OccurredAt;
        coalesced.Dirty = true;
        if (_dirty.CurrentCount == 0)
        {
            _dirty.Release(); // under _gate: no other release can come in between
        }
    }

    private void RollIfDue(DateTimeOffset now)
    {
        if (now < _windowEnds)
        {
            return;
        }

        _retired.AddRange(_coalesced.Values.Where(c => c.Dirty));
        _coalesced.Clear();
        _itemised.Clear();
        _itemisedTotal = 0;
        _windowEnds = now + _options.Window;
    }

    private sealed class Coalesced(AuditEntry first)
    {
        public AuditEntry First { get; } = first;

        public int Attempts { get; set; }

        public DateTimeOffset LastAt { get; set; }

        public bool Dirty { get; set; }
    }
}
