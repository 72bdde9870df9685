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
}
