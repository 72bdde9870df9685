using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AgentBridge.Benchmarks.Analyzers.AnalyzerSets;

/// <summary>
/// The baseline of the roslyn-analyzers performance tests: an analyzer that registers exactly the actions
/// <c>AgentBridgeAnalyzer</c> registers in a compilation with a types file that has a problem (compilation start; object
/// creations; additional files; per named type, its invocations and its end), with callbacks that do nothing, and the
/// same generated-code setting. (The declarations the rules watch in the few types that hold a bridge in a static member
/// are not mirrored.) Its cost is the analyzer driver's (building IOperation trees, dispatching callbacks); what the AGB
/// rules add on top of it is the rules' own work. (The rules watch the invocations of only the types whose files name a
/// call they look for; the empty analyzer watches every type's: an upper bound of the driver's share.)
/// </summary>
internal static class EmptyAnalyzers
{
    private static readonly DiagnosticDescriptor Never = new(
        "EMPTY0001", "Never reported", "Never reported", "Benchmark", DiagnosticSeverity.Warning, isEnabledByDefault: true);

    public static ImmutableArray<DiagnosticAnalyzer> Create() => [new EmptyAgentBridge()];

    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    private sealed class EmptyAgentBridge : DiagnosticAnalyzer
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = [Never];

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.ReportDiagnostics);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                start.RegisterOperationAction(_ => { }, OperationKind.ObjectCreation);
                start.RegisterAdditionalFileAction(_ => { });
                start.RegisterSymbolStartAction(
                    symbolStart =>
                    {
                        symbolStart.RegisterOperationAction(_ => { }, OperationKind.Invocation);
                        symbolStart.RegisterSymbolEndAction(_ => { });
                    },
                    SymbolKind.NamedType);
            });
        }
    }
}
