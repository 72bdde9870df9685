namespace AgentBridge;

/// <summary>Creates per-user bridges over one <see cref="WebSocketConnectionManager"/>. Registered by <c>AddAgentBridge</c>.</summary>
public sealed class AgentWebSocketBridgeFactory : IAgentWebSocketBridgeFactory
{
    private readonly WebSocketConnectionManager _manager;

    /// <summary>Creates the factory.</summary>
    /// <param name="manager">The manager that owns the sockets.</param>
    public AgentWebSocketBridgeFactory(WebSocketConnectionManager manager)
    {
        _manager = manager ?? throw new ArgumentNullException(nameof(manager));
    }

    /// <inheritdoc />
    public AgentWebSocketBridge Create(UserExecutionContext userContext)
    {
        ArgumentNullException.ThrowIfNull(userContext);
        return new AgentWebSocketBridge(_manager, userContext);
    }
}
