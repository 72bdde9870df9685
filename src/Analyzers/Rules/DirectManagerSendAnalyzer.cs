using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AgentBridge.Analyzers.Rules;

/// <summary>
/// AGB0001: a call of <c>WebSocketConnectionManager.SendToUserAsync</c>, <c>SendToConnectionAsync</c> or
/// <c>BroadcastAsync</c> from application code (any compilation but the runtime's own).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DirectManagerSendAnalyzer : AgentBridgeAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.AGB0001_DirectManagerSend);

    /// <inheritdoc />
    private protected override void RegisterActions(CompilationStartAnalysisContext start, AgentBridgeTypes types)
    {
        if (types.ManagerSendMethods.IsEmpty)
        {
            return;
        }

        start.RegisterOperationAction(c => AnalyzeInvocation(c, types), OperationKind.Invocation);
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, AgentBridgeTypes types)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if (!types.IsManagerSend(invocation.TargetMethod))
        {
            return;
        }

        var properties = ImmutableDictionary<string, string?>.Empty
            .Add(DiagnosticProperties.MemberName, invocation.TargetMethod.Name);
        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.AGB0001_DirectManagerSend,
            invocation.Syntax.GetLocation(),
            properties,
            invocation.TargetMethod.Name));
    }
}
