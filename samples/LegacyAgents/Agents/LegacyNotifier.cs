using AgentBridge;

namespace LegacyAgents.Agents;

/// <summary>The shared emitter of the first version: one bridge for the whole process.</summary>
public static class LegacyNotifier
{
    public static AgentWebSocketBridge? Bridge { get; set; }

    public static Task NotifyAsync(string agentName) =>
        Bridge?.EmitAgentStartedAsync(agentName) ?? Task.CompletedTask;
}
