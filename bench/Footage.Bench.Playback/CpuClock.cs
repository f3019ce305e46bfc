using System.Globalization;

namespace Footage.Bench.Playback;

/// <summary>CPU time of this process and of its finished children (ffmpeg), from /proc/self/stat (Linux), in seconds.</summary>
public static class CpuClock
{
    private const double TicksPerSecond = 100; // USER_HZ on Linux

    public static double Seconds()
    {
        var stat = File.ReadAllText("/proc/self/stat");
        // fields after the command name (which may hold spaces) start after the last ')'
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // utime, stime, cutime, cstime are fields 14-17 of the whole line: 12-15 after the command
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture) +
                    long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture);
        return ticks / TicksPerSecond;
    }
}
