using System.Globalization;

namespace Footage.Bench.Recording;

/// <summary>CPU time and memory of a set of Linux processes, read from /proc.</summary>
public static class ProcessSampler
{
    private const double TicksPerSecond = 100.0;

    /// <summary>utime + stime of the process, in seconds (0 when it is gone).</summary>
    public static double CpuSeconds(int pid)
    {
        var stat = Read($"/proc/{pid}/stat");
        if (stat is null)
        {
            return 0;
        }

        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
    }

    /// <summary>cutime + cstime: CPU of the children the process has waited for, in seconds.</summary>
    public static double ReapedChildrenCpuSeconds(int pid)
    {
        var stat = Read($"/proc/{pid}/stat");
        if (stat is null)
        {
            return 0;
        }

        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture)) / TicksPerSecond;
    }

    /// <summary>Proportional set size in bytes: shared libraries split among the processes that map them.</summary>
    public static long PssBytes(int pid) => SmapsField(pid, "Pss:");

    /// <summary>Memory only this process uses.</summary>
    public static long PrivateBytes(int pid) => SmapsField(pid, "Private_Clean:") + SmapsField(pid, "Private_Dirty:");

    /// <summary>Resident set: every page the process maps, shared ones counted whole.</summary>
    public static long RssBytes(int pid) => SmapsField(pid, "Rss:");

    public static IReadOnlyList<int> Children(int parent) =>
        Directory.EnumerateDirectories("/proc")
            .Select(Path.GetFileName)
            .Where(n => int.TryParse(n, out _))
            .Select(n => int.Parse(n!, CultureInfo.InvariantCulture))
            .Where(pid => Read($"/proc/{pid}/stat") is { } stat && stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1] == parent.ToString(CultureInfo.InvariantCulture))
            .ToArray();

    private static long SmapsField(int pid, string name)
    {
        var text = Read($"/proc/{pid}/smaps_rollup");
        var line = text?.Split('\n').FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line[name.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
    }

    private static string? Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
