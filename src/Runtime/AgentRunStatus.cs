namespace AgentBridge;

/// <summary>The values of <c>status</c> in an <see cref="AgentEventTypes.AgentCompleted"/> event.</summary>
public static class AgentRunStatus
{
    /// <summary>The run finished its work.</summary>
    public const string Succeeded = "succeeded";

    /// <summary>The run ended with an error.</summary>
    public const string Failed = "failed";

    /// <summary>The run was cancelled before it finished.</summary>
    public const string Cancelled = "cancelled";
}
