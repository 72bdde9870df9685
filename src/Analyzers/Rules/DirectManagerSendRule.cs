using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AgentBridge.Analyzers.Rules;

/// <summary>
/// AGB0001: a call of <c>WebSocketConnectionManager.SendToUserAsync</c>, <c>SendToConnectionAsync</c> or
/// <c>BroadcastAsync</c> from application code (any compilation but the runtime's own), or of a member an AgentBridge
/// types file lists as <c>send</c> (except from an <c>emitter</c> of the file, or from the send's own type).
/// </summary>
internal static class DirectManagerSendRule
{
    private static readonly ulong Names =
        FileNames.Set(FileNames.SendToUserAsync, FileNames.SendToConnectionAsync, FileNames.BroadcastAsync, FileNames.TeamSend);

    public static void AddTo(List<InvocationRule> rules, AgentBridgeTypes types)
    {
        if (!types.ManagerSendMethods.IsEmpty || types.Team.HasSends)
        {
            rules.Add(new InvocationRule(Names, context => AnalyzeInvocation(context, types)));
        }
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, AgentBridgeTypes types)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var method = invocation.TargetMethod;
        ImmutableDictionary<string, string?> properties;
        if (types.IsManagerSend(method))
        {
            properties = method.Name == "SendToUserAsync" ? FixFor(invocation, types) : DiagnosticProperties.None;
        }
        else if (types.Team.IsSend(method) && !IsImplementation(context.ContainingSymbol.ContainingType, method, types))
        {
            properties = DiagnosticProperties.None;
        }
        else
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(Descriptors.AGB0001_DirectManagerSend, invocation.Syntax.GetLocation(), properties, method.Name));
    }

    /// <summary>
    /// A team's emitter sending through its hub, or the hub (or a type derived from it) calling itself: that is the
    /// per-user path's own implementation, as the runtime's bridge calling the manager is (the runtime is not analyzed).
    /// </summary>
    private static bool IsImplementation(INamedTypeSymbol? caller, IMethodSymbol send, AgentBridgeTypes types) =>
        caller is not null
        && (types.Team.IsEmitter(caller) || AgentBridgeTypes.DerivesFrom(caller, send.ContainingType));

    /// <summary>
    /// What the fix needs to know: the user id is <c>context.UserId</c> of a <c>UserExecutionContext</c> (the bridge of
    /// that context reaches that user), or <c>bridge.UserContext.UserId</c> (that bridge does). Anything else: no fix.
    /// </summary>
    private static ImmutableDictionary<string, string?> FixFor(IInvocationOperation invocation, AgentBridgeTypes types)
    {
        var userId = AgentBridgeTypes.FindArgument(invocation.Arguments, 0);
        if (userId is null
            || AgentBridgeTypes.WithoutConversions(userId.Value) is not IPropertyReferenceOperation { Instance: { } context } access
            || !SymbolEqualityComparer.Default.Equals(access.Property.OriginalDefinition, types.UserContextUserId))
        {
            return DiagnosticProperties.None;
        }

        return AgentBridgeTypes.WithoutConversions(context) is IPropertyReferenceOperation { Instance: not null } bridgeContext
            && SymbolEqualityComparer.Default.Equals(bridgeContext.Property.OriginalDefinition, types.BridgeUserContext)
            ? DiagnosticProperties.BridgeUserId
            : DiagnosticProperties.ContextUserId;
    }
}
