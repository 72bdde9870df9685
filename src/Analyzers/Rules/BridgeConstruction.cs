using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AgentBridge.Analyzers.Rules;

/// <summary>
/// <c>new AgentWebSocketBridge(…)</c>: AGB0003 when it has no context, AGB0004 when it has one. One object-creation
/// callback for both rules, and one comparison for the other constructions of the compilation.
/// </summary>
internal static class BridgeConstruction
{
    public static void Analyze(OperationAnalysisContext context, AgentBridgeTypes types)
    {
        var creation = (IObjectCreationOperation)context.Operation;
        if (creation.Constructor is not { } constructor
            || !SymbolEqualityComparer.Default.Equals(constructor.ContainingType, types.Bridge))
        {
            return;
        }

        if (!MissingUserContextRule.Analyze(context, creation, types))
        {
            DirectBridgeConstructionRule.Analyze(context, creation, types);
        }
    }
}
