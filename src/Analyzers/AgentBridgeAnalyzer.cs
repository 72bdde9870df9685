using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AgentBridge.Analyzers;

/// <summary>
/// What every AGB rule does first: skip generated code, run concurrently, get the AgentBridge types (resolved once
/// per compilation for all the rules, with the team's types files), and register nothing when the compilation does
/// not reference the runtime or is the runtime itself.
/// </summary>
public abstract class AgentBridgeAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public sealed override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var types = AgentBridgeTypes.Get(start.Compilation, start.Options, start.CancellationToken);
            if (types is null || types.IsRuntimeItself)
            {
                return;
            }

            RegisterActions(start, types);
        });
    }

    /// <summary>Registers the rule's actions for a compilation that references the runtime.</summary>
    private protected abstract void RegisterActions(CompilationStartAnalysisContext start, AgentBridgeTypes types);

    /// <summary>
    /// Registers <paramref name="action"/> for the invocations in the types one of whose files has one of the
    /// <paramref name="names"/> (a <see cref="FileNames.Set"/>): the calls a rule looks for are written with those names,
    /// so the other types are not watched at all — one check per type instead of one callback per invocation.
    /// </summary>
    private protected static void RegisterInvocationsInTypesNaming(CompilationStartAnalysisContext start, AgentBridgeTypes types, ulong names, Action<OperationAnalysisContext> action) =>
        start.RegisterSymbolStartAction(
            symbolStart =>
            {
                var type = (INamedTypeSymbol)symbolStart.Symbol;
                if (type.TypeKind is not (TypeKind.Class or TypeKind.Struct or TypeKind.Interface)
                    || !types.FileNames.AnyIn(type, names, symbolStart.CancellationToken))
                {
                    return;
                }

                symbolStart.RegisterOperationAction(
                    context =>
                    {
                        // A nested type's calls are its own type's to watch.
                        if (SymbolEqualityComparer.Default.Equals(context.ContainingSymbol.ContainingType, type))
                        {
                            action(context);
                        }
                    },
                    OperationKind.Invocation);
            },
            SymbolKind.NamedType);
}
