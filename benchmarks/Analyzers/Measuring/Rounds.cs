using System.Diagnostics;
using System.Globalization;
using AgentBridge.Benchmarks.Analyzers.AnalyzerSets;
using AgentBridge.Benchmarks.Analyzers.Compiling;

namespace AgentBridge.Benchmarks.Analyzers.Measuring;

/// <summary>
/// The times of one round: each configuration compiled once, in a shuffled order. Wall-clock and CPU time (the
/// process's user + system time over the operation): the compile is single-threaded, so its CPU time is the work
/// done, and stays steady when other processes on a shared machine take the cores away.
/// </summary>
internal sealed record Round(IReadOnlyDictionary<Configuration, double> Milliseconds, IReadOnlyDictionary<Configuration, double> CpuMilliseconds)
{
    public Ratios Wall => new(Milliseconds);

    public Ratios Cpu => new(CpuMilliseconds);
}

/// <summary>The ratios the targets are stated in, from one set of times.</summary>
internal sealed record Ratios(IReadOnlyDictionary<Configuration, double> Times)
{
    public double this[Configuration configuration] => Times[configuration];

    /// <summary>AGB time over BannedApiAnalyzers time (target ≤ 1.0).</summary>
    public double AgbOverBannedApi => this[Configuration.AgentBridge] / this[Configuration.BannedApi];

    /// <summary>What the AGB rules add to the compiler, as a share of the compiler's own time (target &lt; 3%).</summary>
    public double AgbAddedShare => (this[Configuration.AgentBridge] - this[Configuration.NoAnalyzer]) / this[Configuration.NoAnalyzer];

    /// <summary>What the analyzer driver costs for the AGB rules' actions with empty callbacks, over the compiler's time.</summary>
    public double EmptyAddedShare => (this[Configuration.EmptyAnalyzers] - this[Configuration.NoAnalyzer]) / this[Configuration.NoAnalyzer];

    /// <summary>What the rules' own callbacks add beyond the driver's cost of the same actions, over the compiler's time.</summary>
    public double AgbOverEmptyShare => (this[Configuration.AgentBridge] - this[Configuration.EmptyAnalyzers]) / this[Configuration.NoAnalyzer];

    /// <summary>What BannedApiAnalyzers adds, as a share of the compiler's own time.</summary>
    public double BannedApiAddedShare => (this[Configuration.BannedApi] - this[Configuration.NoAnalyzer]) / this[Configuration.NoAnalyzer];
}

/// <summary>
/// Interleaved rounds: every round compiles each configuration once, in a shuffled order, so load that comes and goes
/// on a shared machine hits all configurations of a round alike; ratios are taken within a round.
/// </summary>
internal static class Rounds
{
    /// <summary>The four configurations of the brief (BenchmarkDotNet, smoke).</summary>
    public static readonly Configuration[] Primary =
        [Configuration.NoAnalyzer, Configuration.EmptyAnalyzers, Configuration.AgentBridge, Configuration.BannedApi];

    /// <summary>Every configuration (interleaved rounds).</summary>
    public static readonly Configuration[] All = Enum.GetValues<Configuration>();

    public static double TimeOnce(CompileRunner runner, Configuration configuration, bool validate, out string? validation) =>
        TimeOnce(runner, configuration, validate, out validation, out _);

    public static double TimeOnce(CompileRunner runner, Configuration configuration, bool validate, out string? validation, out double cpuMilliseconds)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var diagnostics = runner.Run(configuration);
        watch.Stop();
        process.Refresh();
        cpuMilliseconds = (process.TotalProcessorTime - cpuBefore).TotalMilliseconds;
        validation = validate ? runner.Validate(configuration, diagnostics) : null;
        return watch.Elapsed.TotalMilliseconds;
    }

    public static List<Round> Measure(CompileRunner runner, int count, Action<string> log)
    {
        var rounds = new List<Round>();
        var random = new Random(20261127);
        for (var r = 0; r < count; r++)
        {
            var order = All.OrderBy(_ => random.Next()).ToArray();
            var wall = new Dictionary<Configuration, double>();
            var cpu = new Dictionary<Configuration, double>();
            foreach (var configuration in order)
            {
                // Validate every result too: the rounds can no more measure nothing than the benchmark can.
                wall[configuration] = TimeOnce(runner, configuration, validate: true, out _, out var cpuMilliseconds);
                cpu[configuration] = cpuMilliseconds;
            }

            var round = new Round(wall, cpu);
            rounds.Add(round);
            var times = string.Join(", ", All.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c} {wall[c]:0}/{cpu[c]:0}")));
            log(string.Create(CultureInfo.InvariantCulture,
                $"  round {r + 1}/{count} (wall/CPU ms): {times} | CPU: AGB/BannedApi {round.Cpu.AgbOverBannedApi:0.000}, AGB added {round.Cpu.AgbAddedShare:P1}, AGB over empty {round.Cpu.AgbOverEmptyShare:P1}"));
        }

        return rounds;
    }

    public static (double Min, double Median, double Max) Spread(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        var median = sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
        return (sorted[0], median, sorted[^1]);
    }
}
