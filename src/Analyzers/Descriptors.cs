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
        "'{0}' sends to the sockets directly; emit through a per-user bridge from IAgentWebSocketBridgeFactory",
        DiagnosticSeverity.Warning,
        "The connection manager is the low-level transport. Sending through it with a user id picked up somewhere lets one user's events reach another user and bypasses the per-user ordering and replay of the bridge.");

    public static readonly DiagnosticDescriptor AGB0002_SingletonBridge = Create(
        RuleIdentifiers.SingletonBridge,
        "Do not hold an AgentWebSocketBridge as a singleton",
        "{0} shares one {1} between all users; get a per-user bridge from IAgentWebSocketBridgeFactory",
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
        "'{0}' sends both directly to the sockets and through a per-user bridge; the two dispatch paths race on the same sockets",
        DiagnosticSeverity.Warning,
        "A type that sends through the manager and through a bridge has two dispatch paths whose events are not ordered against each other. Fix its AGB0001 sites so every event goes through the bridge.");

    public static readonly DiagnosticDescriptor AGB0006_UnfinishedRun = Create(
        RuleIdentifiers.UnfinishedRun,
        "End every agent run on every path",
        "{0}: on that path the user never sees agent_completed",
        DiagnosticSeverity.Warning,
        "A run tells its user it ended with agent_completed. An AgentRun from BeginRunAsync emits it when disposed, so it must be disposed on every path (await using); an EmitAgentStartedAsync needs an EmitAgentCompletedAsync on every path out of the method, exceptions included, or the user's spinner never stops.");

    public static readonly DiagnosticDescriptor AGB0007_UserIdFromRequest = Create(
        RuleIdentifiers.UserIdFromRequest,
        "Take the user id from the authenticated principal",
        "The user id passed to '{0}' comes from {1}; take it from the authenticated user instead",
        DiagnosticSeverity.Warning,
        "Whoever sends the request chooses its query string, route, headers, form, cookies and body. A user id taken from them lets any caller read or write another user's agent stream. Take it from the authenticated ClaimsPrincipal (or the app's IAgentBridgeUserIdProvider), as the event socket does.");

    public static readonly DiagnosticDescriptor AGB0008_TypesFileEntry = Create(
        RuleIdentifiers.TypesFileEntry,
        "Fix the line of the AgentBridge types file",
        "This line of the AgentBridge types file is ignored: {0}",
        DiagnosticSeverity.Warning,
        "An AgentBridge types file (AgentBridge.Types.txt, AgentBridge.*.txt) lists a team's own send members and emitter types, one 'send M:…' or 'emitter T:…' entry a line, so the rules see them. A line that is malformed or names nothing in the compilation is ignored, and the rules miss what it meant to list.");

    public static ImmutableArray<DiagnosticDescriptor> All { get; } = ImmutableArray.Create(
        AGB0001_DirectManagerSend,
        AGB0002_SingletonBridge,
        AGB0003_MissingUserContext,
        AGB0004_DirectBridgeConstruction,
        AGB0005_DualDispatch,
        AGB0006_UnfinishedRun,
        AGB0007_UserIdFromRequest,
        AGB0008_TypesFileEntry);

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
