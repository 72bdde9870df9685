namespace AgentBridge;

/// <summary>The one sanctioned way to get an <see cref="AgentWebSocketBridge"/>: one per user context.</summary>
public interface IAgentWebSocketBridgeFactory
{
    /// <summary>Creates a bridge that emits to <paramref name="userContext"/>'s user only.</summary>
    /// <param name="userContext">Whom the events are for.</param>
    /// <returns>A new bridge.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="userContext"/> is null.</exception>
    AgentWebSocketBridge Create(UserExecutionContext userContext);
}
