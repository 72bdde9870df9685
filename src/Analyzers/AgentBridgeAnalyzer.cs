using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using AgentBridge.Analyzers.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AgentBridge.Analyzers;

/// <summary>
/// The AGB rules, AGB0001–AGB0008, in one analyzer (as ASP.NET Core's analyzers group their rules): the compiler
/// dispatches each callback once for all of them, and the rules share one resolution of the AgentBridge types per
/// compilation, one scan of each file for the names of the calls they look for, and one watch per type over its
/// static members and its calls.
/// Generated code is skipped; nothing is registered in a compilation that does not reference the runtime, or is the
/// runtime itself; nothing runs at compilation end, so every rule reports live in the IDE.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class AgentBridgeAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => Descriptors.All;

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        // Generated code is not analyzed, so no diagnostic of ours is found in it; not asking the compiler to filter
        // them again (ReportDiagnostics) spares it a search of each file with a diagnostic for generated-code symbols.
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(OnCompilationStart);
    }

    private static void OnCompilationStart(CompilationStartAnalysisContext start)
    {
        var types = AgentBridgeTypes.Get(start.Compilation, start.Options, start.CancellationToken);
        if (types is null || types.IsRuntimeItself)
        {
            return;
        }

        // AGB0003 and AGB0004: how a bridge is constructed.
        start.RegisterOperationAction(context => BridgeConstruction.Analyze(context, types), OperationKind.ObjectCreation);

        // AGB0008: the problems found in reading the types files.
        TypesFileRule.Register(start, types);

        // AGB0001, AGB0002, AGB0003's calls, AGB0005, AGB0006 and AGB0007: per type, its static members and its calls.
        var rules = new List<InvocationRule>();
        DirectManagerSendRule.AddTo(rules, types);
        SingletonBridgeRule.AddTo(rules, types);
        MissingUserContextRule.AddTo(rules, types);
        UnfinishedRunRule.AddTo(rules, types);
        RequestUserIdRule.AddTo(rules, start.Compilation, types);
        var dualDispatch = DualDispatchRule.Applies(types);
        var invocationRules = rules.ToArray();
        start.RegisterSymbolStartAction(context => OnTypeStart(context, types, invocationRules, dualDispatch), SymbolKind.NamedType);
    }

    /// <summary>
    /// Watches the declarations of a type that holds an emitter in a static member (AGB0002), and the calls of a type for
    /// the rules whose names a file of the type has: the calls a rule looks for are
    /// written with those names, so in most types no rule watches anything (no callback for each call), and a watched
    /// call goes to the rules whose names it is written with. The decision about a call is made on symbols.
    /// </summary>
    private static void OnTypeStart(SymbolStartAnalysisContext context, AgentBridgeTypes types, InvocationRule[] rules, bool dualDispatch)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (type.TypeKind is not (TypeKind.Class or TypeKind.Struct or TypeKind.Interface))
        {
            // Enums and delegates hold no code.
            return;
        }

        if (SingletonBridgeRule.HeldEmitters(type, types, context.CancellationToken) is { } held)
        {
            context.RegisterSyntaxNodeAction(
                nodeContext => SingletonBridgeRule.AnalyzeDeclaration(nodeContext, held),
                SyntaxKind.FieldDeclaration,
                SyntaxKind.PropertyDeclaration);
        }

        var names = types.FileNames.In(type, context.CancellationToken);
        if (names == 0)
        {
            return;
        }

        var watching = Array.FindAll(rules, rule => (rule.Names & names) != 0);
        var sends = dualDispatch && (names & DualDispatchRule.Names) != 0 ? new DualDispatchRule.SendSites() : null;
        if (watching.Length == 0 && sends is null)
        {
            return;
        }

        context.RegisterOperationAction(
            operationContext =>
            {
                // A nested type's calls are its own type's to watch.
                if (!SymbolEqualityComparer.Default.Equals(operationContext.ContainingSymbol.ContainingType, type))
                {
                    return;
                }

                // The rules whose names the call itself has (the type's files may have them elsewhere).
                if (watching.Length > 0)
                {
                    var called = types.FileNames.InCall(operationContext.Operation.Syntax);
                    foreach (var rule in watching)
                    {
                        if ((rule.Names & called) != 0)
                        {
                            rule.Analyze(operationContext);
                        }
                    }
                }

                sends?.Add(operationContext, types);
            },
            OperationKind.Invocation);

        if (sends is not null)
        {
            context.RegisterSymbolEndAction(endContext => DualDispatchRule.Report(endContext, type, sends));
        }
    }
}
