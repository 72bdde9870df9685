using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace AgentBridge.Analyzers;

/// <summary>Every AgentBridge diagnostic descriptor, in one place.</summary>
internal static class Descriptors
{
    public const string Category = "AgentBridge.Usage";

    public static readonly DiagnosticDescriptor AGB0001_DirectManagerSend = Create(
        RuleIdentifiers.DirectManagerSend,
        "Do not send through WebSocketConnectionManager directly",
        "'{0}' sends through the connection manager directly; emit through a per-user bridge from IAgentWebSocketBridgeFactory",
        DiagnosticSeverity.Warning,
        "The connection manager is the low-level transport. Sending through it with a user id picked up somewhere lets one user's events reach another user and bypasses the per-user ordering and replay of the bridge.");

    public static readonly DiagnosticDescriptor AGB0002_SingletonBridge = Create(
        RuleIdentifiers.SingletonBridge,
        "Do not hold an AgentWebSocketBridge as a singleton",
        "{0} shares one AgentWebSocketBridge between all users; get a per-user bridge from IAgentWebSocketBridgeFactory",
        DiagnosticSeverity.Warning,
        "A bridge belongs to one user. A static bridge or a singleton registration hands every request the same emitter, so user A's events reach user B.");

    public static readonly DiagnosticDescriptor AGB0003_MissingUserContext = Create(
        RuleIdentifiers.MissingUserContext,
        "Pass a UserExecutionContext",
        "{0} without a UserExecutionContext; nothing will be sent for it",
        DiagnosticSeverity.Warning,
        "A bridge without a context refuses to emit and a session wired without one stays unwired: the user never sees the agent's progress. Pass the context of the user the work is for.");

    public static readonly DiagnosticDescriptor AGB0004_DirectBridgeConstruction = Create(
        RuleIdentifiers.DirectBridgeConstruction,
        "Create bridges with IAgentWebSocketBridgeFactory",
        "Create the bridge with IAgentWebSocketBridgeFactory.Create instead of constructing it directly",
        DiagnosticSeverity.Info,
        "The AgentWebSocketBridge constructor is kept for migration. The factory is the one sanctioned way to get a bridge: it is registered by AddAgentBridge and wires the bridge to the shared connection manager.");

    public static readonly DiagnosticDescriptor AGB0005_DualDispatch = Create(
        RuleIdentifiers.DualDispatch,
        "Do not send through both WebSocketConnectionManager and AgentWebSocketBridge",
        "'{0}' sends both through WebSocketConnectionManager and through AgentWebSocketBridge; the two dispatch paths race on the same sockets",
        DiagnosticSeverity.Warning,
        "A type that sends through the manager and through a bridge has two dispatch paths whose events are not ordered against each other. Fix its AGB0001 sites so every event goes through the bridge.");

    public static ImmutableArray<DiagnosticDescriptor> All { get; } = ImmutableArray.Create(
        AGB0001_DirectManagerSend,
        AGB0002_SingletonBridge,
        AGB0003_MissingUserContext,
        AGB0004_DirectBridgeConstruction,
        AGB0005_DualDispatch);

    private static DiagnosticDescriptor Create(string id, string title, string messageFormat, DiagnosticSeverity severity, string description) =>
        new DiagnosticDescriptor(
            id,
            title,
            messageFormat,
            Category,
            severity,
            isEnabledByDefault: true,
            description: description,
            helpLinkUri: RuleIdentifiers.GetHelpUri(id));
}
