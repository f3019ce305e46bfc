using System.Diagnostics;
using Footage.Ffmpeg;
using Microsoft.Extensions.Logging;

namespace Footage.Recording.Processes;

/// <summary>
/// One long-running ffmpeg: started with an argument list, stderr read on its own task (the tail kept for
/// the error a user sees), stopped gracefully with 'q' on stdin, or SIGTERM when it has stalled, and killed when it does
/// not listen.
/// </summary>
public sealed class RecorderProcess : IAsyncDisposable
{
    private readonly System.Diagnostics.Process _process;
    private readonly StderrTail _tail = new(10);
    private readonly Task _stderr;
    private readonly Task _progress;
    private readonly TimeProvider _clock;
    private readonly SemaphoreSlim _reported = new(0, 1);
    private ProgressReport? _progressReport;

    private RecorderProcess(System.Diagnostics.Process process, TimeProvider clock)
    {
        _process = process;
        _clock = clock;
        _stderr = Task.Run(ReadStderrAsync);
        _progress = Task.Run(ReadProgressAsync);
    }

    /// <summary>
    /// How much footage ffmpeg has muxed, from its <c>-progress</c> report (-1 before the first): it grows
    /// with every packet, unlike the files, which grow by whole write buffers.
    /// </summary>
    public TimeSpan? OutTime => Progress?.OutTime;

    /// <summary>The latest <c>-progress</c> report and when it was read (as it was written: it is read at once), null before the first.</summary>
    public ProgressReport? Progress => Volatile.Read(ref _progressReport);

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    public string StderrTail => _tail.ToString();

    public static RecorderProcess Start(string ffmpegPath, IReadOnlyList<string> arguments, string workingDirectory, ILogger logger, Func<string, string> redact, TimeProvider? clock = null)
    {
        var start = new ProcessStartInfo(ffmpegPath)
        {
            RedirectStandardInput = true,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        // ffmpeg parses what the camera sends: it gets no variable of the server's (its settings, keys and passwords)
        Ffmpeg.KeyFrames.ChildEnvironment.Apply(start.Environment);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        logger.LogInformation("Starting {Tool} {Arguments}", ffmpegPath, redact(string.Join(' ', arguments)));
        var process = System.Diagnostics.Process.Start(start) ?? throw new InvalidOperationException($"{ffmpegPath} did not start");
        return new RecorderProcess(process, clock ?? TimeProvider.System);
    }

    private async Task ReadStderrAsync()
    {
        try
        {
            while (await _process.StandardError.ReadLineAsync() is { } line)
            {
                _tail.Add(line);
            }
        }
        catch (IOException)
        {
            // the process is gone
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task ReadProgressAsync()
    {
        try
        {
            while (await _process.StandardOutput.ReadLineAsync() is { } line)
            {
                if (line.StartsWith("out_time_us=", StringComparison.Ordinal) &&
                    long.TryParse(line.AsSpan(12), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var us) && us >= 0)
                {
                    Volatile.Write(ref _progressReport, new ProgressReport(TimeSpan.FromMicroseconds(us), _clock.GetUtcNow(), _clock.GetTimestamp()));
                }
                else if (line.StartsWith("progress=", StringComparison.Ordinal))
                {
                    Signal(); // the last line of a report
                }
            }
        }
        catch (IOException)
        {
        }
        catch (ObjectDisposedException)
        {
        }

        Signal(); // ffmpeg is gone or going: its supervisor should look now
    }

    private void Signal()
    {
        try
        {
            if (_reported.CurrentCount == 0)
            {
                _reported.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // released by the other path in between: one wake-up is all it takes
        }
    }

    /// <summary>
    /// Waits for ffmpeg's next progress report (or its end), at most <paramref name="patience"/>: a supervisor that looks
    /// when there is news needs no timer of its own while the camera delivers.
    /// </summary>
    public async Task WaitForReportAsync(TimeSpan patience, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(patience, _clock);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            await _reported.WaitAsync(either.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // no report in time: the supervisor looks anyway (a stall shows as silence)
        }
    }

    public Task WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    /// <summary>'q' lets ffmpeg close the open segment and write it to the list; after <paramref name="grace"/> SIGTERM, then SIGKILL.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (_process.HasExited)
        {
            return;
        }

        try
        {
            await _process.StandardInput.WriteAsync('q');
            await _process.StandardInput.FlushAsync();
        }
        catch (IOException)
        {
        }

        if (!await ExitedWithinAsync(grace))
        {
            await TerminateAsync(TimeSpan.FromSeconds(2));
        }
    }

    /// <summary>
    /// SIGTERM, then SIGKILL after <paramref name="grace"/>: for an ffmpeg that stopped reporting, which may not be reading
    /// its input, so that it still writes what it holds and closes its segment.
    /// </summary>
    public async Task TerminateAsync(TimeSpan grace)
    {
        if (_process.HasExited)
        {
            return;
        }

        if (!Sigterm.Send(_process.Id) || !await ExitedWithinAsync(grace))
        {
            Kill();
        }
    }

    private async Task<bool> ExitedWithinAsync(TimeSpan grace)
    {
        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        try
        {
            await _process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
            await _stderr.WaitAsync(TimeSpan.FromSeconds(2));
            await _progress.WaitAsync(TimeSpan.FromSeconds(2));
        }
        catch (TimeoutException)
        {
        }

        _process.Dispose();
        _reported.Dispose();
    }
}
