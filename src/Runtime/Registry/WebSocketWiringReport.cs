namespace AgentBridge;

/// <summary>What <see cref="AgentRegistry.DiagnoseWebSocketWiring"/> found.</summary>
/// <param name="RegistryHasManager">Whether the registry was given a manager with a context, so new sessions are wired.</param>
/// <param name="CallsWithoutContext">How many times a manager was set without a context (each left something unwired).</param>
/// <param name="Sessions">Every session, in user id order.</param>
public sealed record WebSocketWiringReport(bool RegistryHasManager, int CallsWithoutContext, IReadOnlyList<SessionWiring> Sessions)
{
    /// <summary>Whether every session is wired and no call came without a context.</summary>
    public bool IsHealthy => CallsWithoutContext == 0 && Sessions.All(s => s.IsWired);

    /// <summary>The sessions that cannot emit.</summary>
    public IEnumerable<SessionWiring> UnwiredSessions => Sessions.Where(s => !s.IsWired);
}

/// <summary>The wiring of one user's session.</summary>
/// <param name="UserId">The session's user.</param>
/// <param name="ThreadId">The thread of the context the session emits for.</param>
/// <param name="IsWired">Whether the session has a bridge and can emit.</param>
/// <param name="Reason">Why it is not wired, or <see langword="null"/> when it is.</param>
/// <param name="ConnectionCount">The user's open event sockets on this server.</param>
/// <param name="AgentCount">The agents registered in the session.</param>
public sealed record SessionWiring(string UserId, string ThreadId, bool IsWired, string? Reason, int ConnectionCount, int AgentCount);
