using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AgentBridge.Analyzers.Rules;

/// <summary>
/// AGB0004: <c>new AgentWebSocketBridge(manager, context)</c> with a context — direct construction where the
/// factory should be used. Without a context (or with <c>null</c>) the construction is AGB0003's instead.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DirectBridgeConstructionAnalyzer : AgentBridgeAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.AGB0004_DirectBridgeConstruction);

    /// <inheritdoc />
    private protected override void RegisterActions(CompilationStartAnalysisContext start, AgentBridgeTypes types)
    {
        start.RegisterOperationAction(c => AnalyzeCreation(c, types), OperationKind.ObjectCreation);
    }

    private static void AnalyzeCreation(OperationAnalysisContext context, AgentBridgeTypes types)
    {
        var creation = (IObjectCreationOperation)context.Operation;
        if (creation.Constructor is not { } constructor
            || !SymbolEqualityComparer.Default.Equals(constructor.ContainingType, types.Bridge))
        {
            return;
        }

        var argument = AgentBridgeTypes.FindArgument(creation.Arguments, types.UserContext);
        if (argument is null || argument.ArgumentKind == ArgumentKind.DefaultValue || AgentBridgeTypes.IsNullConstant(argument.Value))
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(Descriptors.AGB0004_DirectBridgeConstruction, creation.Syntax.GetLocation()));
    }
}
