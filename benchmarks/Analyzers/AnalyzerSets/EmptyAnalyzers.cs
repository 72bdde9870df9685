using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AgentBridge.Benchmarks.Analyzers.AnalyzerSets;

/// <summary>
/// The baseline of the roslyn-analyzers performance tests: analyzers that register exactly the actions the AGB rules
/// register (compilation start, then the same operation kinds, symbol kinds and symbol start/end), with callbacks that
/// do nothing. Their cost is the analyzer driver's (building IOperation trees, dispatching callbacks); what the AGB
/// rules add on top of it is the rules' own work.
/// </summary>
internal static class EmptyAnalyzers
{
    private static readonly DiagnosticDescriptor Never = new(
        "EMPTY0001", "Never reported", "Never reported", "Benchmark", DiagnosticSeverity.Warning, isEnabledByDefault: true);

    /// <summary>One empty analyzer per AGB analyzer, registering what it registers (in a compilation with a types file).</summary>
    public static ImmutableArray<DiagnosticAnalyzer> Create() =>
    [
        new EmptyInvocations(),
        new EmptySingletonBridge(),
        new EmptyMissingUserContext(),
        new EmptyDirectBridgeConstruction(),
        new EmptyDualDispatch(),
        new EmptyInvocations(),
        new EmptyInvocations(),
        new EmptyTypesFile(),
    ];

    /// <summary>
    /// The same actions registered by one analyzer instead of eight (what merging the rules into one analyzer would
    /// leave the driver to do), with or without AGB0005's per-type symbol start/end.
    /// </summary>
    public static ImmutableArray<DiagnosticAnalyzer> CreateMerged(bool withSymbolStart) => [new EmptyMerged(withSymbolStart)];

    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    private sealed class EmptyMerged(bool withSymbolStart) : EmptyAnalyzer
    {
        protected override void Register(CompilationStartAnalysisContext start)
        {
            start.RegisterOperationAction(_ => { }, OperationKind.Invocation);
            start.RegisterOperationAction(_ => { }, OperationKind.ObjectCreation);
            start.RegisterSymbolAction(_ => { }, SymbolKind.Field, SymbolKind.Property);
            start.RegisterAdditionalFileAction(_ => { });
            if (withSymbolStart)
            {
                start.RegisterSymbolStartAction(
                    symbolStart =>
                    {
                        symbolStart.RegisterOperationAction(_ => { }, OperationKind.Invocation);
                        symbolStart.RegisterSymbolEndAction(_ => { });
                    },
                    SymbolKind.NamedType);
            }
        }
    }

    private abstract class EmptyAnalyzer : DiagnosticAnalyzer
    {
        public sealed override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = [Never];

        public sealed override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(Register);
        }

        protected abstract void Register(CompilationStartAnalysisContext start);
    }

    /// <summary>As AGB0001, AGB0006 and AGB0007: invocations.</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    private sealed class EmptyInvocations : EmptyAnalyzer
    {
        protected override void Register(CompilationStartAnalysisContext start) =>
            start.RegisterOperationAction(_ => { }, OperationKind.Invocation);
    }

    /// <summary>As AGB0002: fields and properties, invocations.</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    private sealed class EmptySingletonBridge : EmptyAnalyzer
    {
        protected override void Register(CompilationStartAnalysisContext start)
        {
            start.RegisterSymbolAction(_ => { }, SymbolKind.Field, SymbolKind.Property);
            start.RegisterOperationAction(_ => { }, OperationKind.Invocation);
        }
    }

    /// <summary>As AGB0003: object creations, invocations.</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    private sealed class EmptyMissingUserContext : EmptyAnalyzer
    {
        protected override void Register(CompilationStartAnalysisContext start)
        {
            start.RegisterOperationAction(_ => { }, OperationKind.ObjectCreation);
            start.RegisterOperationAction(_ => { }, OperationKind.Invocation);
        }
    }

    /// <summary>As AGB0004: object creations.</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    private sealed class EmptyDirectBridgeConstruction : EmptyAnalyzer
    {
        protected override void Register(CompilationStartAnalysisContext start) =>
            start.RegisterOperationAction(_ => { }, OperationKind.ObjectCreation);
    }

    /// <summary>As AGB0008 with a types file that has a problem: additional files.</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    private sealed class EmptyTypesFile : EmptyAnalyzer
    {
        protected override void Register(CompilationStartAnalysisContext start) =>
            start.RegisterAdditionalFileAction(_ => { });
    }

    /// <summary>As AGB0005: per named type, invocations inside it, then the type's end.</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    private sealed class EmptyDualDispatch : EmptyAnalyzer
    {
        protected override void Register(CompilationStartAnalysisContext start) =>
            start.RegisterSymbolStartAction(
                symbolStart =>
                {
                    symbolStart.RegisterOperationAction(_ => { }, OperationKind.Invocation);
                    symbolStart.RegisterSymbolEndAction(_ => { });
                },
                SymbolKind.NamedType);
    }
}
