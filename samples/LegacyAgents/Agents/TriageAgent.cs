using AgentBridge;

namespace LegacyAgents.Agents;

/// <summary>Half migrated: starts and completes through a bridge, but reports its progress through the manager.</summary>
public sealed class TriageAgent
{
    private readonly WebSocketConnectionManager _manager;
    private readonly AgentWebSocketBridge _bridge;

    public TriageAgent(WebSocketConnectionManager manager, AgentWebSocketBridge bridge)
    {
        _manager = manager;
        _bridge = bridge;
    }

    public async Task RunAsync(UserExecutionContext context, CancellationToken cancellationToken)
    {
        await _bridge.EmitAgentStartedAsync("triage", cancellationToken);

        // Progress goes straight to the sockets.
        await _manager.SendToUserAsync(context.UserId, new AgentEvent(AgentEventTypes.AgentThinking, new { thought = "reading the ticket" }), cancellationToken);
        await _manager.SendToUserAsync(
            agentEvent: new AgentEvent(AgentEventTypes.ToolExecuting, new { toolName = "search" }),
            userId: context.UserId,
            cancellationToken: cancellationToken);

        await _bridge.EmitAgentCompletedAsync("triage", cancellationToken: cancellationToken);
    }
}
