using System.Diagnostics;
using System.Globalization;
using System.Text;
using AgentBridge.Benchmarks.Analyzers.AnalyzerSets;
using AgentBridge.Benchmarks.Analyzers.Compiling;
using AgentBridge.Benchmarks.Analyzers.Corpus;
using AgentBridge.Benchmarks.Analyzers.Lightbulb;
using AgentBridge.Benchmarks.Analyzers.Measuring;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

// Analyzer cost (issues 5 and 10). Usage:
//   dotnet run -c Release --project benchmarks/Analyzers                 full run, on both corpora (sparse: 300 files;
//                                                                        dense: 400 files x 12 sends): interleaved rounds,
//                                                                        BenchmarkDotNet, analyzer telemetry, ReportAnalyzer
//                                                                        builds; then the lightbulb (BenchmarkDotNet)
//   dotnet run -c Release --project benchmarks/Analyzers -- --smoke      small corpora of both shapes, one checked compile per
//                                                                        configuration, every fix offered and applied once
//   dotnet run -c Release --project benchmarks/Analyzers -- --lightbulb  the lightbulb only
// Options: --corpus sparse|dense|both, --files N, --dense-files N, --iterations N (BenchmarkDotNet), --rounds N,
// --builds N, --skip-bdn, --skip-build, --skip-lightbulb.
if (args is ["--explain-sends", ..])
{
    // Where AGB0001's time goes when it reports thousands of diagnostics (the dense corpus).
    var files = args is [_, var count] ? int.Parse(count, CultureInfo.InvariantCulture) : CorpusGenerator.DefaultDenseFileCount;
    Console.WriteLine($"AGB0001 on the dense corpus ({files} files), load {Machine.LoadAverage()}:");
    Console.WriteLine(SendCost.Run(CompileRunner.For(CorpusShape.Dense, files), repetitions: 3));
    return 0;
}

if (args is ["--extract-log", var logPath])
{
    // Re-reads a saved ReportAnalyzer build log (a debugging aid for the extraction).
    Console.Write(BuildReport.Extract(File.ReadAllText(logPath)));
    return 0;
}

var options = Options.Parse(args);
if (options is null)
{
    return 2;
}

try
{
    return options.Lightbulb ? LightbulbOnly(options) : options.Smoke ? Smoke(options) : Full(options);
}
catch (InvalidOperationException exception)
{
    Console.Error.WriteLine("FAILED: " + exception.Message);
    return 1;
}

static int Smoke(Options options)
{
    var watch = Stopwatch.StartNew();
    Console.WriteLine($"Analyzer cost smoke: Roslyn {AnalyzerLoading.RoslynVersion}, load {Machine.LoadAverage()}");
    var failed = 0;
    foreach (var (shape, files) in options.Corpora)
    {
        var runner = CompileRunner.For(shape, files);
        Console.WriteLine($"{shape} corpus, {files} files; expected: {runner.Expected}");
        PrintLoading(runner);
        foreach (var configuration in Rounds.Primary)
        {
            try
            {
                var ms = Rounds.TimeOnce(runner, configuration, validate: true, out var validation, out var cpu);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {ms,7:0} ms wall {cpu,7:0} ms CPU  {validation}"));
            }
            catch (InvalidOperationException exception)
            {
                failed++;
                Console.WriteLine($"  MISMATCH {exception.Message}");
            }
        }
    }

    try
    {
        Console.WriteLine($"Lightbulb ({LightbulbRunner.Instance.LineCount} lines): every fix offered and applied once: {LightbulbRunner.Instance.Check()}");
    }
    catch (InvalidOperationException exception)
    {
        failed++;
        Console.WriteLine($"  LIGHTBULB {exception.Message}");
    }

    Console.WriteLine($"Smoke {(failed == 0 ? "passed" : "FAILED")} in {watch.Elapsed.TotalSeconds:0.0} s (timings of a cold process are not the benchmark's).");
    return failed == 0 ? 0 : 1;
}

static int LightbulbOnly(Options options)
{
    Console.WriteLine($"Lightbulb: {LightbulbRunner.Instance.LineCount} lines, load {Machine.LoadAverage()}");
    Console.WriteLine("Check: " + LightbulbRunner.Instance.Check());
    foreach (var rule in LightbulbDocument.RuleIds)
    {
        // A quick look before BenchmarkDotNet: the median of 20 registrations.
        var times = Enumerable.Range(0, 20).Select(_ =>
        {
            var watch = Stopwatch.StartNew();
            LightbulbRunner.Instance.Register(rule);
            return watch.Elapsed.TotalMilliseconds;
        }).Order().ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {rule}: register median {times[10]:0.000} ms (min {times[0]:0.000})"));
    }

    var (table, ratios) = RunLightbulb(options);
    Console.WriteLine(table);
    Console.WriteLine(ratios);
    return 0;
}

static (string Table, string Ratios) RunLightbulb(Options options)
{
    // Registering takes microseconds to milliseconds, applying tens to hundreds: BenchmarkDotNet picks the invocation
    // counts; a few warm-ups, then the iterations asked for.
    var job = Job.Default
        .WithToolchain(InProcessEmitToolchain.Instance)
        .WithLaunchCount(1)
        .WithWarmupCount(3)
        .WithIterationCount(options.Iterations)
        .WithId("Lightbulb");
    var summary = BenchmarkRunner.Run<LightbulbBenchmarks>(BenchmarkConfig(job));
    var ratios = new StringBuilder("| rule | register (ms) | apply (ms) | register ÷ apply | target |\n|---|---:|---:|---:|---|\n");
    foreach (var rule in LightbulbDocument.RuleIds)
    {
        double Mean(string method) => summary.Reports.Single(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name == method
            && (string)r.BenchmarkCase.Parameters["Rule"] == rule).ResultStatistics!.Mean / 1e6;
        var register = Mean(nameof(LightbulbBenchmarks.Register));
        var apply = Mean(nameof(LightbulbBenchmarks.Apply));
        ratios.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| {rule} | {register:0.00} | {apply:0.0} | **{register / apply:P1}** | ≤ 10 % |"));
    }

    return (ReadGitHubTable(summary, "LightbulbBenchmarks"), ratios.ToString());
}

static int Full(Options options)
{
    var watch = Stopwatch.StartNew();
    var report = new StringBuilder();
    var failed = false;
    var machine = Machine.Describe();
    Console.WriteLine($"Machine: {machine}; load average at start {Machine.LoadAverage()}");
    report.AppendLine($"- Machine: {machine}");
    report.AppendLine($"- Analyzers measured: {Machine.AnalyzerSources(BuildReport.FindRepositoryRoot())} (as built into this benchmark's output)");
    report.AppendLine($"- Roslyn {AnalyzerLoading.RoslynVersion} (analyzers compiled against {AnalyzerLoading.CompiledAgainst(typeof(AgentBridge.Analyzers.AgentBridgeAnalyzer).Assembly)})");

    foreach (var (shape, files) in options.Corpora)
    {
        failed |= !MeasureCorpus(options, shape, files, report);
    }

    if (!options.SkipLightbulb)
    {
        var loadBefore = Machine.LoadAverage();
        Console.WriteLine($"Lightbulb ({LightbulbRunner.Instance.LineCount} lines), load {loadBefore}: {LightbulbRunner.Instance.Check()}");
        var (table, ratios) = RunLightbulb(options);
        report.AppendLine();
        report.AppendLine($"## Lightbulb: registering the fixes of one diagnostic against applying it ({LightbulbRunner.Instance.LineCount}-line document; load average before {loadBefore}, after {Machine.LoadAverage()})");
        report.AppendLine();
        report.AppendLine(ratios);
        report.AppendLine(table);
    }

    report.AppendLine($"- Load average at the end: {Machine.LoadAverage()}; whole run {watch.Elapsed.TotalMinutes:0.0} min");
    var path = Path.Combine(ArtifactsPath, "analyzer-cost.md");
    Directory.CreateDirectory(ArtifactsPath);
    File.WriteAllText(path, report.ToString());
    Console.WriteLine();
    Console.WriteLine(report);
    Console.WriteLine($"Written to {path}");
    return failed ? 1 : 0;
}

static bool MeasureCorpus(Options options, CorpusShape shape, int files, StringBuilder report)
{
    var ok = true;
    var runner = CompileRunner.For(shape, files);
    PrintLoading(runner);
    Console.WriteLine($"{shape} corpus: {runner.Corpus.Trees.Length} files, {runner.Corpus.Corpus.LineCount} lines; expected {runner.Expected}");
    report.AppendLine();
    report.AppendLine($"## The {shape.ToString().ToLowerInvariant()} corpus: {runner.Corpus.Trees.Length} files, {runner.Corpus.Corpus.LineCount} lines; planted: {runner.Expected}");

    if (options.Rounds > 0)
    {
        Console.WriteLine($"Interleaved rounds ({options.Rounds}, after {WarmUpRounds} warm-up rounds), load {Machine.LoadAverage()}:");
        WarmUp(runner);

        var loadBefore = Machine.LoadAverage();
        var rounds = Rounds.Measure(runner, options.Rounds, Console.WriteLine);
        report.AppendLine();
        report.AppendLine($"### Interleaved rounds ({rounds.Count}; load average before {loadBefore}, after {Machine.LoadAverage()})");
        report.AppendLine();
        report.AppendLine("| measure | min | median | max | target |");
        report.AppendLine("|---|---:|---:|---:|---|");
        void Row(string name, IEnumerable<double> values, string format, string target)
        {
            var (min, median, max) = Rounds.Spread(values);
            report.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {min.ToString(format, CultureInfo.InvariantCulture)} | {median.ToString(format, CultureInfo.InvariantCulture)} | {max.ToString(format, CultureInfo.InvariantCulture)} | {target} |"));
        }

        foreach (var (label, pick) in new (string, Func<Round, Ratios>)[] { ("CPU", r => r.Cpu), ("wall", r => r.Wall) })
        {
            foreach (var configuration in Rounds.All)
            {
                Row($"{configuration}, {label} ms", rounds.Select(r => pick(r)[configuration]), "0", "");
            }

            Row($"**AGB / BannedApi** ({label})", rounds.Select(r => pick(r).AgbOverBannedApi), "0.000", "≤ 1.0");
            Row($"**AGB added / compiler** ({label})", rounds.Select(r => pick(r).AgbAddedShare), "P1", "< 3%");
            Row($"driver: empty added / compiler ({label})", rounds.Select(r => pick(r).EmptyAddedShare), "P1", "");
            Row($"rules' own: (AGB − empty) / compiler ({label})", rounds.Select(r => pick(r).AgbOverEmptyShare), "P1", "");
            Row($"BannedApi added / compiler ({label})", rounds.Select(r => pick(r).BannedApiAddedShare), "P1", "");
        }

        // On a loaded machine the least-disturbed run of each configuration is its fastest: ratios of the minimums.
        report.AppendLine();
        report.AppendLine("| from the per-configuration minimum | AGB / BannedApi | AGB added / compiler | driver (empty) / compiler | rules' own (AGB − empty) / compiler | BannedApi added / compiler |");
        report.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var (label, pick) in new (string, Func<Round, Ratios>)[] { ("CPU", r => r.Cpu), ("wall", r => r.Wall) })
        {
            var m = new Ratios(Rounds.All.ToDictionary(c => c, c => rounds.Min(r => pick(r)[c])));
            report.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {label} | {m.AgbOverBannedApi:0.000} | {m.AgbAddedShare:P1} | {m.EmptyAddedShare:P1} | {m.AgbOverEmptyShare:P1} | {m.BannedApiAddedShare:P1} |"));
        }
    }

    if (!options.SkipBenchmarkDotNet)
    {
        // Tiered compilation: until the compiler's hot methods are re-jitted at tier 1, every compile is slower, and
        // BenchmarkDotNet's own warm-up of its first benchmark (the no-analyzer baseline) is not enough for all of
        // Roslyn. The process is warmed on every configuration first (the rounds above did it when they ran).
        if (options.Rounds == 0)
        {
            WarmUp(runner);
        }

        var loadBefore = Machine.LoadAverage();
        var summary = RunBenchmarkDotNet(options, shape, files);
        if (summary.HasCriticalValidationErrors || summary.Reports.Any(r => !r.Success) || summary.Reports.Length != Rounds.Primary.Length)
        {
            Console.Error.WriteLine("FAILED: a benchmark did not run (see the GlobalSetup check above).");
            return false;
        }

        report.AppendLine();
        report.AppendLine($"### BenchmarkDotNet ({options.Iterations} iterations; load average before {loadBefore}, after {Machine.LoadAverage()})");
        report.AppendLine();
        report.AppendLine(ReadGitHubTable(summary, "CompileBenchmarks"));
        report.AppendLine(Ratios(summary));
    }

    Console.WriteLine("Analyzer telemetry…");
    report.AppendLine();
    report.AppendLine("### Per-analyzer time (Roslyn analyzer telemetry)");
    report.AppendLine();
    report.AppendLine(Profile.Run(runner, repetitions: 3));

    if (shape == CorpusShape.Dense)
    {
        Console.WriteLine("Where AGB0001's time goes…");
        report.AppendLine();
        report.AppendLine("### Where AGB0001's time goes with thousands of diagnostics");
        report.AppendLine();
        report.AppendLine(SendCost.Run(runner, repetitions: 3));
    }

    if (!options.SkipBuild)
    {
        Console.WriteLine($"ReportAnalyzer build ({options.Builds} measured builds after one warm-up), load {Machine.LoadAverage()}:");
        var loadBefore = Machine.LoadAverage();
        string builds;
        try
        {
            builds = BuildReport.Run(runner.Corpus.Corpus, BuildReport.FindRepositoryRoot(), options.Builds, Console.WriteLine);
        }
        catch (InvalidOperationException exception)
        {
            // The build compiles src/ as it is in the working tree; keep the measurements above when it fails.
            builds = "FAILED: " + exception.Message;
            ok = false;
        }

        report.AppendLine();
        report.AppendLine($"### dotnet build -p:ReportAnalyzer=true (load average before {loadBefore}, after {Machine.LoadAverage()})");
        report.AppendLine();
        report.AppendLine(builds);
    }

    return ok;
}

static void WarmUp(CompileRunner runner)
{
    for (var i = 0; i < WarmUpRounds; i++)
    {
        foreach (var configuration in Rounds.All)
        {
            Rounds.TimeOnce(runner, configuration, validate: true, out _);
        }
    }
}

static void PrintLoading(CompileRunner runner)
{
    var assembly = typeof(AgentBridge.Analyzers.AgentBridgeAnalyzer).Assembly;
    Console.WriteLine($"Loaded {runner.Analyzers.AgentBridgeRules.Length} AGB analyzers from {runner.Analyzers.AgentBridgeAssemblyPath} " +
        $"(compiled against Microsoft.CodeAnalysis {AnalyzerLoading.CompiledAgainst(assembly)}, running on {AnalyzerLoading.RoslynVersion}); " +
        $"{runner.Analyzers.BannedApi.Length} BannedApiAnalyzers analyzers ({string.Join(", ", runner.Analyzers.BannedApi.Select(a => a.GetType().Name))}).");
    BannedApiPeer.CheckIdsResolve(runner.Corpus.Create());
}

static Summary RunBenchmarkDotNet(Options options, CorpusShape shape, int files)
{
    CompileBenchmarks.Shape = shape;
    CompileBenchmarks.FileCount = files;

    // In-process (no generated project to build next to the repository's), one launch, two warm-ups, a few
    // iterations of one operation each: an operation is a whole compilation, seconds long, so that is enough and
    // keeps the run within minutes on two shared cores.
    var job = Job.Default
        .WithToolchain(InProcessEmitToolchain.Instance)
        .WithLaunchCount(1)
        .WithWarmupCount(2)
        .WithIterationCount(options.Iterations)
        .WithInvocationCount(1)
        .WithUnrollFactor(1)
        .WithId("Compile-" + shape);
    return BenchmarkRunner.Run<CompileBenchmarks>(BenchmarkConfig(job));
}

static ManualConfig BenchmarkConfig(Job job) =>
    ManualConfig.CreateMinimumViable()
        .AddJob(job)
        .AddDiagnoser(MemoryDiagnoser.Default)
        .AddExporter(MarkdownExporter.GitHub)
        .WithArtifactsPath(ArtifactsPath)
        .WithOptions(ConfigOptions.DisableLogFile);

static string ReadGitHubTable(Summary summary, string benchmark)
{
    var file = Directory.GetFiles(summary.ResultsDirectoryPath, $"*{benchmark}-report-github.md").FirstOrDefault();
    return file is null ? "(no GitHub markdown report)" : File.ReadAllText(file).Trim();
}

static string Ratios(Summary summary)
{
    double Mean(string method) => summary.Reports.Single(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name == method).ResultStatistics!.Mean;
    var none = Mean(nameof(CompileBenchmarks.NoAnalyzer));
    var empty = Mean(nameof(CompileBenchmarks.EmptyAnalyzers));
    var agb = Mean(nameof(CompileBenchmarks.AgentBridgeRules));
    var banned = Mean(nameof(CompileBenchmarks.BannedApiAnalyzers));
    return string.Create(CultureInfo.InvariantCulture, $"""

        From the means: AGB / BannedApi = **{agb / banned:0.000}** (target ≤ 1.0); AGB added time / compiler's own time = (AGB − none) / none = **{(agb - none) / none:P1}** (target < 3%); of which the analyzer driver's cost for the same actions (empty − none) / none = {(empty - none) / none:P1} and the rules' own callbacks (AGB − empty) / none = {(agb - empty) / none:P1}; BannedApi added = {(banned - none) / none:P1}.
        """);
}

internal sealed partial class Program
{
    private const int WarmUpRounds = 2;

    private static string ArtifactsPath => Path.Combine(AppContext.BaseDirectory, "BenchmarkDotNet.Artifacts");
}

/// <summary>Command-line options.</summary>
internal sealed record Options(
    bool Smoke, string Corpus, int Files, int DenseFiles, int Iterations, int Rounds, int Builds,
    bool SkipBenchmarkDotNet, bool SkipBuild, bool SkipLightbulb, bool Lightbulb)
{
    /// <summary>The corpora to measure, with their file counts.</summary>
    public IEnumerable<(CorpusShape Shape, int Files)> Corpora
    {
        get
        {
            if (Corpus is "sparse" or "both")
            {
                yield return (CorpusShape.Sparse, Files);
            }

            if (Corpus is "dense" or "both")
            {
                yield return (CorpusShape.Dense, DenseFiles);
            }
        }
    }

    public static Options? Parse(string[] args)
    {
        var smoke = args.Contains("--smoke");
        var options = new Options(
            smoke,
            "both",
            smoke ? 72 : CorpusGenerator.DefaultFileCount,
            smoke ? 40 : CorpusGenerator.DefaultDenseFileCount,
            8,
            7,
            2,
            args.Contains("--skip-bdn"),
            args.Contains("--skip-build"),
            args.Contains("--skip-lightbulb"),
            args.Contains("--lightbulb"));
        for (var i = 0; i < args.Length; i++)
        {
            int Next() => i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var n) && n >= 0
                ? n
                : throw new ArgumentException($"{args[i]} needs a number");
            try
            {
                options = args[i] switch
                {
                    "--files" => options with { Files = Next() },
                    "--dense-files" => options with { DenseFiles = Next() },
                    "--iterations" => options with { Iterations = Next() },
                    "--rounds" => options with { Rounds = Next() },
                    "--builds" => options with { Builds = Next() },
                    "--corpus" when i + 1 < args.Length && args[i + 1] is "sparse" or "dense" or "both" => options with { Corpus = args[i + 1] },
                    "--corpus" => throw new ArgumentException("--corpus takes sparse, dense or both"),
                    "--smoke" or "--skip-bdn" or "--skip-build" or "--skip-lightbulb" or "--lightbulb" or "sparse" or "dense" or "both" => options,
                    _ when int.TryParse(args[i], CultureInfo.InvariantCulture, out _) => options,
                    _ => throw new ArgumentException($"unknown option {args[i]}"),
                };
            }
            catch (ArgumentException exception)
            {
                Console.Error.WriteLine(exception.Message);
                Console.Error.WriteLine("usage: [--smoke | --lightbulb] [--corpus sparse|dense|both] [--files N] [--dense-files N] [--iterations N] [--rounds N] [--builds N] [--skip-bdn] [--skip-build] [--skip-lightbulb]");
                return null;
            }
        }

        return options;
    }
}
