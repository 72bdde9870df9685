using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using AgentBridge.Benchmarks.Analyzers.Compiling;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AgentBridge.Benchmarks.Analyzers.Measuring;

/// <summary>
/// Where AGB0001's time goes when it reports thousands of diagnostics: the shipped analyzer (on the dense corpus nearly all
/// it reports is AGB0001) beside variants of AGB0001 that find
/// the same sends and report nothing, a plain diagnostic, or one with properties and a message argument as the rule
/// does; BannedApiAnalyzers and all the AGB rules for scale. Each runs alone in its own compilation of the corpus
/// (Roslyn's telemetry, after a warm-up compile), so no other analyzer's work or GC lands in its time.
/// </summary>
internal static class SendCost
{
    private static readonly DiagnosticDescriptor Descriptor = new(
        "XSEND01", "Direct send", "'{0}' sends directly", "Benchmark", DiagnosticSeverity.Warning, isEnabledByDefault: true);

    private static readonly ImmutableDictionary<string, string?> Properties = ImmutableDictionary<string, string?>.Empty.Add("UserIdOf", "Context");

    private enum Variant
    {
        /// <summary>Finds the sends and reports nothing.</summary>
        FindOnly,

        /// <summary>Reports a plain diagnostic (no properties, no message argument) on the invocation.</summary>
        ReportPlain,

        /// <summary>Reports with properties and the method name as the message argument, as AGB0001 does.</summary>
        ReportLikeTheRule,
    }

    public static string Run(CompileRunner runner, int repetitions)
    {
        var candidates = new (string Name, ImmutableArray<DiagnosticAnalyzer> Analyzers)[]
        {
            ("variant: finds the sends, reports nothing", [new Probe(Variant.FindOnly)]),
            ("variant: reports a plain diagnostic", [new Probe(Variant.ReportPlain)]),
            ("variant: reports with properties and a message argument", [new Probe(Variant.ReportLikeTheRule)]),
            ("BannedApiAnalyzers", runner.Analyzers.BannedApi),
            ("the AGB rules as shipped (AgentBridgeAnalyzer)", runner.Analyzers.AgentBridgeRules),
        };

        var totals = new double[candidates.Length];
        var reported = new int[candidates.Length];
        for (var r = -1; r < repetitions; r++)
        {
            for (var c = 0; c < candidates.Length; c++)
            {
                var withAnalyzers = runner.Corpus.Create().WithAnalyzers(
                    candidates[c].Analyzers,
                    new CompilationWithAnalyzersOptions(runner.Analyzers.Options, null, concurrentAnalysis: false, logAnalyzerExecutionTime: true));
                var diagnostics = withAnalyzers.GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
                var result = withAnalyzers.GetAnalysisResultAsync(CancellationToken.None).GetAwaiter().GetResult();
                if (r >= 0)
                {
                    totals[c] += result.AnalyzerTelemetryInfo.Values.Sum(t => t.ExecutionTime.TotalMilliseconds);
                    reported[c] = diagnostics.Length;
                }
            }
        }

        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Each alone in a compilation of the corpus; Roslyn telemetry, mean of {repetitions} compilations after a warm-up one:");
        text.AppendLine();
        text.AppendLine("| analyzer | ms per compilation | diagnostics |");
        text.AppendLine("|---|---:|---:|");
        for (var c = 0; c < candidates.Length; c++)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {candidates[c].Name} | {totals[c] / repetitions:0.0} | {reported[c]} |");
        }

        return text.ToString();
    }

    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    private sealed class Probe(Variant variant) : DiagnosticAnalyzer
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = [Descriptor];

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                var manager = start.Compilation.GetTypeByMetadataName("AgentBridge.WebSocketConnectionManager");
                if (manager is null)
                {
                    return;
                }

                var sends = manager.GetMembers().OfType<IMethodSymbol>()
                    .Where(m => m.Name is "SendToUserAsync" or "SendToConnectionAsync" or "BroadcastAsync")
                    .ToImmutableArray();
                start.RegisterOperationAction(
                    c =>
                    {
                        var invocation = (IInvocationOperation)c.Operation;
                        var method = invocation.TargetMethod;
                        if (!SymbolEqualityComparer.Default.Equals(method.ContainingType, manager) || !sends.Contains(method.OriginalDefinition, SymbolEqualityComparer.Default))
                        {
                            return;
                        }

                        switch (variant)
                        {
                            case Variant.ReportPlain:
                                c.ReportDiagnostic(Diagnostic.Create(Descriptor, invocation.Syntax.GetLocation()));
                                break;
                            case Variant.ReportLikeTheRule:
                                c.ReportDiagnostic(Diagnostic.Create(Descriptor, invocation.Syntax.GetLocation(), Properties, method.Name));
                                break;
                        }
                    },
                    OperationKind.Invocation);
            });
        }
    }
}
