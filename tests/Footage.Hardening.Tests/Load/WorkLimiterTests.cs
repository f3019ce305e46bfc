using System.Security.Claims;
using Footage.ServiceDefaults;
using Footage.ServiceDefaults.Errors;
using Footage.ServiceDefaults.Work;
using Footage.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xunit;

namespace Footage.Hardening.Tests.Load;

/// <summary>
/// The work limits on their own: the server's and the caller's slots, the scratch quota, the free space a reservation
/// must leave on the scratch disk (so that scratch never takes the spool's), each refusal a 429 naming its limit with
/// Retry-After; a finished job gives its slot and reservation back and leaves no folder, and what a crash left is removed.
/// </summary>
public sealed class WorkLimiterTests : IDisposable
{
    private readonly TempFolder _folder = new("work-limiter");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Slots_per_server_and_per_caller_are_refused_with_429_and_given_back()
    {
        var limiter = Limiter(maxConcurrent: 2, maxPerCaller: 1, quota: 1L << 30, minFree: 0);
        using var a = limiter.Start(Caller("a"), "download", 0);

        var own = Assert.Throws<ProblemException>(() => limiter.Start(Caller("a"), "download", 0));
        Assert.Equal(429, own.Status);
        Assert.Equal(WorkLimiter.CallerFullReason, own.LimitReason);
        Assert.Equal(TimeSpan.FromSeconds(10), own.RetryAfter);

        var b = limiter.Start(Caller("b"), "download", 0);
        var full = Assert.Throws<ProblemException>(() => limiter.Start(Caller("c"), "low rendition", 0));
        Assert.Equal(WorkLimiter.ServerFullReason, full.LimitReason);

        b.Dispose();
        b.Dispose(); // twice gives back once
        using var c = limiter.Start(Caller("c"), "low rendition", 0);
        Assert.Throws<ProblemException>(() => limiter.Start(Caller("d"), "download", 0));
    }

    [Fact]
    public void Scratch_is_reserved_within_its_quota_and_a_finished_job_leaves_nothing()
    {
        var limiter = Limiter(maxConcurrent: 10, maxPerCaller: 10, quota: 10L << 20, minFree: 0);
        var big = limiter.Start(Caller("a"), "download", 8L << 20);
        Assert.True(Directory.Exists(big.Folder));
        File.WriteAllBytes(Path.Combine(big.Folder!, "source.ts"), new byte[1024]);
        Assert.Equal(8L << 20, limiter.Reserved);

        var refused = Assert.Throws<ProblemException>(() => limiter.Start(Caller("b"), "download", 4L << 20));
        Assert.Equal(WorkLimiter.ScratchFullReason, refused.LimitReason);
        Assert.Null(limiter.TryReserveScratch("export:1", 4L << 20));

        big.Dispose();
        Assert.False(Directory.Exists(big.Folder));
        Assert.Equal(0, limiter.Reserved);
        using var export = limiter.TryReserveScratch("export:1", 4L << 20);
        Assert.NotNull(export);
    }

    [Fact]
    public void A_reservation_that_would_leave_the_disk_under_its_floor_is_refused()
    {
        // a floor above what the disk has free: scratch on the spool's disk takes nothing the recorder needs
        var free = new DriveInfo(_folder.Path).AvailableFreeSpace;
        var limiter = Limiter(maxConcurrent: 10, maxPerCaller: 10, quota: long.MaxValue, minFree: free);
        var refused = Assert.Throws<ProblemException>(() => limiter.Start(Caller("a"), "download", 1L << 20));
        Assert.Equal(WorkLimiter.ScratchFullReason, refused.LimitReason);
        Assert.Equal(0, limiter.Reserved);
    }

    [Fact]
    public void What_a_crashed_process_left_in_scratch_is_removed_at_start()
    {
        var scratch = Path.Combine(_folder.Path, "scratch");
        Directory.CreateDirectory(Path.Combine(scratch, "left-by-a-crash"));
        File.WriteAllBytes(Path.Combine(scratch, "left-by-a-crash", "00000.ts"), new byte[4096]);
        Limiter(maxConcurrent: 1, maxPerCaller: 1, quota: 1L << 30, minFree: 0);
        Assert.Empty(Directory.EnumerateFileSystemEntries(scratch));
    }

    private WorkLimiter Limiter(int maxConcurrent, int maxPerCaller, long quota, long minFree) => new(
        Options.Create(new WorkOptions
        {
            MaxConcurrent = maxConcurrent, MaxPerCaller = maxPerCaller, ScratchQuotaBytes = quota, ScratchMinFreeBytes = minFree,
            ScratchDirectory = Path.Combine(_folder.Path, "scratch"),
        }),
        Options.Create(new FootageOptions { DataDirectory = _folder.Path }),
        NullLogger<WorkLimiter>.Instance);

    private static DefaultHttpContext Caller(string key) => new()
    {
        User = new ClaimsPrincipal(new ClaimsIdentity([new Claim("key_id", key)], "test")),
    };
}
