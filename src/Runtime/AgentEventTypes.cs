namespace AgentBridge;

/// <summary>The standard event types an agent run shows its user.</summary>
public static class AgentEventTypes
{
    /// <summary>An agent began working on the user's request.</summary>
    public const string AgentStarted = "agent_started";

    /// <summary>The agent reports what it is reasoning about.</summary>
    public const string AgentThinking = "agent_thinking";

    /// <summary>The agent started a tool call.</summary>
    public const string ToolExecuting = "tool_executing";

    /// <summary>A tool call finished and produced a result.</summary>
    public const string ToolCompleted = "tool_completed";

    /// <summary>The agent run ended: succeeded, failed or cancelled.</summary>
    public const string AgentCompleted = "agent_completed";

    /// <summary>A piece of the agent's answer text, streamed as it is produced (<c>agentName</c>, <c>messageId</c>, <c>delta</c>).</summary>
    public const string AgentMessage = "agent_message";
}
