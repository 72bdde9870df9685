using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using AgentBridge.Benchmarks.Analyzers.AnalyzerSets;
using AgentBridge.Benchmarks.Analyzers.Compiling;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AgentBridge.Benchmarks.Analyzers.Measuring;

/// <summary>
/// The driver's own profile: per-analyzer execution time (Roslyn's analyzer telemetry, the numbers ReportAnalyzer
/// prints) for the AGB rules and the peer in one compilation, and how many callbacks the corpus triggers.
/// </summary>
internal static class Profile
{
    public static string Run(CompileRunner runner, int repetitions)
    {
        var counts = CountCallbacks(runner);
        var totals = new Dictionary<string, double>(StringComparer.Ordinal);
        var actions = new Dictionary<string, string>(StringComparer.Ordinal);

        // One compilation per configuration first, unrecorded: the analyzers' own code is jitted there.
        for (var i = -1; i < repetitions; i++)
        {
            foreach (var configuration in new[] { Configuration.EmptyAnalyzers, Configuration.AgentBridge, Configuration.BannedApi })
            {
                var withAnalyzers = runner.CreateWithTelemetry(configuration);
                var diagnostics = withAnalyzers.GetAllDiagnosticsAsync().GetAwaiter().GetResult();
                runner.Validate(configuration, diagnostics);
                var result = withAnalyzers.GetAnalysisResultAsync(CancellationToken.None).GetAwaiter().GetResult();
                foreach (var (analyzer, telemetry) in result.AnalyzerTelemetryInfo.Where(_ => i >= 0))
                {
                    var name = analyzer.GetType().Name;
                    totals[name] = totals.GetValueOrDefault(name) + telemetry.ExecutionTime.TotalMilliseconds;
                    actions[name] = $"op {telemetry.OperationActionsCount}, symbol {telemetry.SymbolActionsCount}, " +
                        $"symbol start/end {telemetry.SymbolStartActionsCount}/{telemetry.SymbolEndActionsCount}, syntax node {telemetry.SyntaxNodeActionsCount}, " +
                        $"operation block start {telemetry.OperationBlockStartActionsCount}, compilation end {telemetry.CompilationEndActionsCount}";
                }
            }
        }

        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Callbacks the corpus triggers per compilation: {counts}.");
        text.AppendLine(CultureInfo.InvariantCulture, $"Analyzer execution time (Roslyn telemetry, single-threaded driver, mean of {repetitions} compilations):");
        text.AppendLine();
        text.AppendLine("| analyzer | ms per compilation | registered actions |");
        text.AppendLine("|---|---:|---|");
        foreach (var (name, total) in totals.OrderByDescending(p => p.Value))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {total / repetitions:0.0} | {actions[name]} |");
        }

        var agb = runner.Analyzers.AgentBridgeRules.Select(a => a.GetType().Name).ToHashSet(StringComparer.Ordinal);
        var empty = runner.Analyzers.Empty.Select(a => a.GetType().Name).ToHashSet(StringComparer.Ordinal);
        var agbTotal = totals.Where(p => agb.Contains(p.Key)).Sum(p => p.Value) / repetitions;
        var emptyTotal = totals.Where(p => empty.Contains(p.Key)).Sum(p => p.Value) / repetitions;
        var peerTotal = totals.Where(p => !agb.Contains(p.Key) && !empty.Contains(p.Key)).Sum(p => p.Value) / repetitions;
        text.AppendLine(CultureInfo.InvariantCulture, $"| **all AGB rules** | **{agbTotal:0.0}** | |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| **the empty analyzer** (the timing's floor for the same actions) | **{emptyTotal:0.0}** | |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| **BannedApiAnalyzers** | **{peerTotal:0.0}** | |");
        return text.ToString();
    }

    private static string CountCallbacks(CompileRunner runner)
    {
        var counter = new CountingAnalyzer();
        var withAnalyzers = runner.Corpus.Create().WithAnalyzers([counter], runner.Analyzers.Options);
        withAnalyzers.GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
        return $"{counter.Invocations} invocations, {counter.Creations} object creations, {counter.Types} named types, " +
            $"{counter.Members} fields and properties, in {runner.Corpus.Trees.Length} files / {runner.Corpus.Corpus.LineCount} lines";
    }

    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    private sealed class CountingAnalyzer : DiagnosticAnalyzer
    {
        private int _invocations;
        private int _creations;
        private int _types;
        private int _members;

        public int Invocations => _invocations;

        public int Creations => _creations;

        public int Types => _types;

        public int Members => _members;

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
            [new DiagnosticDescriptor("COUNT0001", "Count", "Count", "Benchmark", DiagnosticSeverity.Hidden, isEnabledByDefault: true)];

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterOperationAction(_ => Interlocked.Increment(ref _invocations), OperationKind.Invocation);
            context.RegisterOperationAction(_ => Interlocked.Increment(ref _creations), OperationKind.ObjectCreation);
            context.RegisterSymbolAction(_ => Interlocked.Increment(ref _types), SymbolKind.NamedType);
            context.RegisterSymbolAction(_ => Interlocked.Increment(ref _members), SymbolKind.Field, SymbolKind.Property);
        }
    }
}
