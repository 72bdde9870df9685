using AgentBridge;

namespace LegacyAgents.Agents;

/// <summary>Wires the agent sessions the old way: one manager, no user.</summary>
public sealed class SessionWirer
{
    private readonly AgentRegistry _registry;
    private readonly WebSocketConnectionManager _manager;

    public SessionWirer(AgentRegistry registry, WebSocketConnectionManager manager)
    {
        _registry = registry;
        _manager = manager;
    }

    public Task WireAsync(UserExecutionContext context) => _registry.SetWebSocketManagerAsync(_manager);
}
