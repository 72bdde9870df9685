namespace AgentBridge;

/// <summary>An agent registered in a user's <see cref="UserAgentSession"/>.</summary>
public interface IAgent
{
    /// <summary>The agent's name, as shown in its events.</summary>
    string Name { get; }
}

/// <summary>
/// An agent that emits events: the session hands it the session's bridge when the session is wired, and
/// <see langword="null"/> when it is unwired.
/// </summary>
public interface IAgentBridgeAware : IAgent
{
    /// <summary>Receives the bridge of the session the agent is registered in.</summary>
    /// <param name="bridge">The session's bridge, or <see langword="null"/> when the session is unwired.</param>
    void SetBridge(AgentWebSocketBridge? bridge);
}
