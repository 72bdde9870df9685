using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace AgentBridge.Benchmarks.Analyzers.Measuring;

/// <summary>What the numbers were measured on: cores, CPU, memory, OS, SDK, date and load average.</summary>
internal static class Machine
{
    public static string Describe()
    {
        var cpu = ReadFirst("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString();
        var memory = ReadFirst("/proc/meminfo", "MemTotal");
        var memoryText = memory is null ? "?" : string.Create(CultureInfo.InvariantCulture,
            $"{long.Parse(memory.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], CultureInfo.InvariantCulture) / 1024.0 / 1024.0:0.0} GiB");
        return $"{Environment.ProcessorCount} cores ({cpu}), {memoryText}, {RuntimeInformation.OSDescription}, " +
            $".NET SDK {Sdk()}, runtime {RuntimeInformation.FrameworkDescription}, " +
            $"{DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC";
    }

    /// <summary>The 1, 5 and 15 minute load averages, as /proc/loadavg has them.</summary>
    public static string LoadAverage()
    {
        try
        {
            return string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "?";
        }
    }

    /// <summary>Which src/Analyzers was measured: the last commit touching it, and whether the working tree differs.</summary>
    public static string AnalyzerSources(string repositoryRoot)
    {
        var commit = Git(repositoryRoot, "log -1 --format=%h -- src/Analyzers");
        var dirty = Git(repositoryRoot, "status --porcelain -- src/Analyzers");
        return $"src/Analyzers at {commit}{(string.IsNullOrWhiteSpace(dirty) ? string.Empty : " with uncommitted changes")}";
    }

    private static string Git(string directory, string arguments)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("git", arguments) { WorkingDirectory = directory, RedirectStandardOutput = true, UseShellExecute = false });
            var output = process?.StandardOutput.ReadToEnd().Trim() ?? "?";
            process?.WaitForExit();
            return output;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "?";
        }
    }

    private static string? ReadFirst(string path, string key)
    {
        try
        {
            return File.ReadLines(path)
                .Where(l => l.StartsWith(key, StringComparison.Ordinal))
                .Select(l => l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim())
                .FirstOrDefault();
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static string Sdk()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("dotnet", "--version") { RedirectStandardOutput = true, UseShellExecute = false });
            var version = process?.StandardOutput.ReadToEnd().Trim();
            process?.WaitForExit();
            return string.IsNullOrEmpty(version) ? "?" : version;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "?";
        }
    }
}
