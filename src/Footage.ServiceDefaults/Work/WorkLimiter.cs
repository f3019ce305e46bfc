using System.Globalization;
using Footage.ServiceDefaults.Errors;
using Footage.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Footage.ServiceDefaults.Work;

/// <summary>
/// Admits costly jobs (<see cref="WorkOptions"/>): at most <c>MaxConcurrent</c> at once in this process, at most
/// <c>MaxPerCaller</c> of one caller, and scratch reservations within <c>ScratchQuotaBytes</c> that leave
/// <c>ScratchMinFreeBytes</c> free on the disk. A job that does not fit is refused at once (429 with <c>Retry-After</c>),
/// so a flood of requests costs a counter each, never a process, a copy or a waiting task.
/// </summary>
public sealed class WorkLimiter
{
    public const string ServerFullReason = "work limit of this server";
    public const string CallerFullReason = "work limit of this caller";
    public const string ScratchFullReason = "scratch space of this server";

    private static readonly Prometheus.Gauge Running = Prometheus.Metrics.CreateGauge("footage_work_running", "Costly jobs (downloads, lower-rendition chunks) running now.", "kind");
    private static readonly Prometheus.Gauge ScratchReserved = Prometheus.Metrics.CreateGauge("footage_work_scratch_reserved_bytes", "Scratch bytes reserved by running jobs and exports.");
    private static readonly Prometheus.Counter Refused = Prometheus.Metrics.CreateCounter("footage_work_refused_total", "Costly jobs refused with 429, by kind and limit.", "kind", "limit");

    private readonly WorkOptions _options;
    private readonly ILogger<WorkLimiter> _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _perCaller = new(StringComparer.Ordinal);
    private int _running;
    private long _reserved;

    public WorkLimiter(IOptions<WorkOptions> options, IOptions<FootageOptions> footage, ILogger<WorkLimiter> logger)
    {
        _options = options.Value;
        _logger = logger;
        ScratchRoot = Path.GetFullPath(_options.ScratchDirectory is { Length: > 0 } configured
            ? configured
            : Path.Combine(FootageOptions.ResolveDataDirectory(footage.Value.DataDirectory), "scratch"));
        Directory.CreateDirectory(ScratchRoot);
        // what a crashed process left: no job of this process owns it
        foreach (var leftover in Directory.EnumerateDirectories(ScratchRoot))
        {
            Directory.Delete(leftover, recursive: true);
        }
    }

    public string ScratchRoot { get; }

    /// <summary>Scratch bytes reserved now.</summary>
    public long Reserved
    {
        get
        {
            lock (_gate)
            {
                return _reserved;
            }
        }
    }

    /// <summary>The caller a request's work is counted for: its API key, its token's user, else its client address.</summary>
    public static string CallerOf(HttpContext context)
    {
        var user = context.User;
        if (user.Identity?.IsAuthenticated == true && !user.HasClaim("signed_link", "true"))
        {
            if (user.FindFirst("key_id")?.Value is { } key)
            {
                return "key:" + key;
            }

            return "user:" + (user.FindFirst("sub")?.Value ?? user.Identity.Name ?? string.Empty);
        }

        return "address:" + ClientAddress.Of(context);
    }

    /// <summary>Admits a job of the request's caller or throws a 429 <see cref="ProblemException"/> saying which limit is full.</summary>
    /// <param name="kind">What the job is, for the metrics and the message (<c>download</c>, <c>low rendition</c>).</param>
    /// <param name="scratchBytes">What it will write to scratch; 0 for none (then it gets no folder).</param>
    public WorkLease Start(HttpContext context, string kind, long scratchBytes) => Start(CallerOf(context), kind, scratchBytes, counted: true);

    /// <summary>Reserves scratch for a job that holds no request slot (an export being made): null when it does not fit now.</summary>
    public WorkLease? TryReserveScratch(string owner, long scratchBytes)
    {
        try
        {
            return Start(owner, "export", scratchBytes, counted: false);
        }
        catch (ProblemException)
        {
            return null;
        }
    }

    private WorkLease Start(string caller, string kind, long scratchBytes, bool counted)
    {
        string? refusal = null;
        string? reason = null;
        lock (_gate)
        {
            var mine = _perCaller.GetValueOrDefault(caller);
            if (counted && _running >= _options.MaxConcurrent)
            {
                reason = ServerFullReason;
                refusal = $"This server runs {_options.MaxConcurrent} downloads and transcodes at once and all are taken; try again after the time in Retry-After.";
            }
            else if (counted && mine >= _options.MaxPerCaller)
            {
                reason = CallerFullReason;
                refusal = $"This caller already runs {mine} downloads or transcodes, the most one caller may; try again when one has finished.";
            }
            else if (scratchBytes > 0 && !ScratchFits(scratchBytes))
            {
                reason = ScratchFullReason;
                refusal = $"This job needs {scratchBytes.ToString("N0", CultureInfo.InvariantCulture)} bytes of scratch space, more than is free now; try a shorter range or again later.";
            }
            else
            {
                if (counted)
                {
                    _running++;
                    _perCaller[caller] = mine + 1;
                }

                _reserved += scratchBytes;
            }
        }

        if (refusal is not null)
        {
            Refused.WithLabels(kind, reason!).Inc();
            _logger.LogInformation("Refused a {Kind} job: {Reason}", kind, reason);
            throw ProblemException.TooManyRequests(refusal, _options.RetryAfter, reason!);
        }

        if (counted)
        {
            Running.WithLabels(kind).Inc();
        }

        ScratchReserved.Set(Reserved);
        string? folder = null;
        if (scratchBytes > 0)
        {
            folder = Path.Combine(ScratchRoot, Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(folder);
        }

        return new WorkLease(caller, scratchBytes, folder, lease => Release(lease, kind, counted));
    }

    private bool ScratchFits(long bytes)
    {
        if (_reserved + bytes > _options.ScratchQuotaBytes)
        {
            return false;
        }

        // reservations not yet written are taken off what the disk has free now
        var free = new DriveInfo(ScratchRoot).AvailableFreeSpace;
        return free - bytes - Math.Max(0, _reserved - ScratchBytesWritten()) >= _options.ScratchMinFreeBytes;
    }

    private long ScratchBytesWritten()
    {
        try
        {
            return new DirectoryInfo(ScratchRoot).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private void Release(WorkLease lease, string kind, bool counted)
    {
        lock (_gate)
        {
            _reserved -= lease.ScratchBytes;
            if (counted)
            {
                _running--;
                if (_perCaller.TryGetValue(lease.Caller, out var count) && count > 1)
                {
                    _perCaller[lease.Caller] = count - 1;
                }
                else
                {
                    _perCaller.Remove(lease.Caller);
                }
            }
        }

        if (counted)
        {
            Running.WithLabels(kind).Dec();
        }

        ScratchReserved.Set(Reserved);
    }
}
