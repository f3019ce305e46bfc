using System.Diagnostics;
using System.Globalization;
using CliWrap;

namespace Footage.Testing;

/// <summary>
/// One daemon of the throwaway Ceph cluster (monitor, OSD or radosgw) in the foreground (<c>-f</c>), its output drained
/// (its log goes to the cluster's folder) and its last lines kept for a failure message.
/// </summary>
internal sealed class CephDaemon
{
    private readonly Process _process;
    private readonly Queue<string> _lastLines = new();

    private CephDaemon(string name, Process process)
    {
        Name = name;
        _process = process;
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        _process.StandardInput.Close();
    }

    public string Name { get; }

    public bool HasExited => _process.HasExited;

    public static CephDaemon Start(string name, string program, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return new CephDaemon(name, Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start"));
    }

    public string Describe()
    {
        lock (_lastLines)
        {
            var state = _process.HasExited ? $"exited with {_process.ExitCode.ToString(CultureInfo.InvariantCulture)}" : "running";
            return $"{Name} {state}: {string.Join(" | ", _lastLines)}";
        }
    }

    /// <summary>
    /// SIGTERM, then SIGKILL after <paramref name="grace"/>: radosgw may ignore SIGTERM for two minutes after its
    /// lifecycle thread has run.
    /// </summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (_process.HasExited)
        {
            return;
        }

        await Cli.Wrap("kill").WithArguments(["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)])
            .WithValidation(CommandResultValidation.None).ExecuteAsync();
        using var patience = new CancellationTokenSource(grace);
        try
        {
            await _process.WaitForExitAsync(patience.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lastLines)
        {
            _lastLines.Enqueue(line);
            if (_lastLines.Count > 20)
            {
                _lastLines.Dequeue();
            }
        }
    }
}
