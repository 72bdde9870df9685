using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AgentBridge.Analyzers.Rules;

/// <summary>
/// AGB0004: <c>new AgentWebSocketBridge(manager, context)</c> with a context — direct construction where the
/// factory should be used. Without a context (or with <c>null</c>) the construction is AGB0003's instead.
/// </summary>
internal static class DirectBridgeConstructionRule
{
    /// <summary>A bridge constructed with a context (<see cref="BridgeConstruction"/> calls it).</summary>
    public static void Analyze(OperationAnalysisContext context, IObjectCreationOperation creation, AgentBridgeTypes types)
    {
        var argument = AgentBridgeTypes.FindArgument(creation.Arguments, types.UserContext);
        if (argument is null || argument.ArgumentKind == ArgumentKind.DefaultValue || AgentBridgeTypes.IsNullConstant(argument.Value))
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(Descriptors.AGB0004_DirectBridgeConstruction, creation.Syntax.GetLocation()));
    }
}
