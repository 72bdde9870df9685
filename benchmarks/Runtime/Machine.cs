using System.Globalization;

namespace AgentBridge.Benchmarks.Runtime;

/// <summary>What the report says about the machine it ran on.</summary>
internal static class Machine
{
    public static string CpuModel() =>
        Read("/proc/cpuinfo")?.Split('\n').FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown";

    public static string MemoryGiB()
    {
        var line = Read("/proc/meminfo")?.Split('\n').FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
        var kb = line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        return FormattableString.Invariant($"{kb / 1024.0 / 1024.0:F1} GiB");
    }

    public static string LoadAverage() => string.Join(' ', (Read("/proc/loadavg") ?? "? ? ?").Split(' ').Take(3));

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
    }
}
