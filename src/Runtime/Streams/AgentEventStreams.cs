namespace AgentBridge;

/// <summary>
/// Where the users' event streams live: it numbers each user's events (<c>seq</c>), keeps the user's replay window,
/// and delivers every event of a user to that user's connections on this server, wherever the event was emitted.
/// It is the seam between the emitting side (bridges, <see cref="WebSocketConnectionManager"/>) and the sockets, in
/// the manner of SignalR's <c>HubLifetimeManager</c>.
/// </summary>
/// <remarks>
/// <para>
/// <c>AddAgentBridge</c> registers the single-server default, which keeps everything in memory.
/// <c>AddAgentBridge().AddStackExchangeRedis(...)</c> (package <c>AgentBridge.StackExchangeRedis</c>) replaces it
/// with one that keeps the streams in Redis, so several servers share users. Another implementation is registered
/// as the singleton service of this type after <c>AddAgentBridge</c>.
/// </para>
/// <para>Every implementation keeps these promises, which one shared test suite checks over real sockets:</para>
/// <list type="bullet">
/// <item>Per user, one order: <c>seq</c> grows by one for each event published for the user, and each connection
/// is written the user's events in <c>seq</c> order (a gap only where an event went to another connection alone).</item>
/// <item>Isolation: a connection is written its own user's events only.</item>
/// <item>Live delivery: every event published after <see cref="OnConnectedAsync"/> completed is written to the
/// connection, unless it refused it (<see cref="AgentEventConnection.TryWriteEvent"/>).</item>
/// <item>Replay: the user's last <see cref="AgentBridgeOptions.ReplayWindowSize"/> events younger than
/// <see cref="AgentBridgeOptions.ReplayWindowAge"/> are kept, also while the user has no connection, and
/// <see cref="ResumeAsync"/> answers from them with the <c>epoch</c> that names this incarnation of the stream.</item>
/// <item>Failure is loud: when the store cannot be reached, the members throw
/// <see cref="AgentBridgeUnavailableException"/> within a bounded time; an event is never dropped silently.</item>
/// </list>
/// </remarks>
public abstract class AgentEventStreams : IDisposable
{
    /// <summary>Creates the streams.</summary>
    protected AgentEventStreams()
    {
    }

    /// <summary>
    /// Makes a new connection live, before its WebSocket upgrade is answered: from the moment the returned task
    /// completes, every event published for its user is written to it.
    /// </summary>
    /// <param name="connection">The connection.</param>
    /// <param name="cancellationToken">Cancelled when the upgrade request is aborted.</param>
    /// <returns>A task that completes when the connection receives its user's events.</returns>
    /// <exception cref="AgentBridgeUnavailableException">The store cannot be reached; the upgrade is refused with 503.</exception>
    public abstract ValueTask OnConnectedAsync(AgentEventConnection connection, CancellationToken cancellationToken);

    /// <summary>
    /// Stops writing to a connection that is closing; nothing is written to it once this has returned. May be called
    /// more than once for one connection.
    /// </summary>
    /// <param name="connection">The connection.</param>
    /// <returns>A task that completes when resources held for the connection (a subscription, say) are released.</returns>
    public abstract ValueTask OnDisconnectedAsync(AgentEventConnection connection);

    /// <summary>Numbers an event in the user's stream, keeps it for resume, and delivers it to every connection of the user.</summary>
    /// <param name="userId">The user.</param>
    /// <param name="agentEvent">The event; valid until the returned task completes.</param>
    /// <param name="cancellationToken">Cancels the publish, where the store allows.</param>
    /// <returns>A task that completes once the event is numbered and stored.</returns>
    /// <exception cref="AgentBridgeUnavailableException">The store cannot be reached in time.</exception>
    public abstract ValueTask PublishAsync(string userId, PreparedAgentEvent agentEvent, CancellationToken cancellationToken);

    /// <summary>
    /// Numbers an event in the stream of the connection's user and delivers it to that one connection only; it is
    /// not replayed on resume.
    /// </summary>
    /// <param name="connectionId">The connection.</param>
    /// <param name="agentEvent">The event; valid until the returned task completes.</param>
    /// <param name="cancellationToken">Cancels the publish, where the store allows.</param>
    /// <returns><see langword="true"/> when the event was numbered, or handed to the server that holds the connection;
    /// <see langword="false"/> when the connection is known to be gone.</returns>
    /// <exception cref="AgentBridgeUnavailableException">The store cannot be reached in time.</exception>
    public abstract ValueTask<bool> PublishToConnectionAsync(string connectionId, PreparedAgentEvent agentEvent, CancellationToken cancellationToken);

    /// <summary>Publishes an event to every user that has a connection, numbered in each user's own stream.</summary>
    /// <param name="agentEvent">The event; valid until the returned task completes.</param>
    /// <param name="cancellationToken">Cancels the publish, where the store allows.</param>
    /// <returns>A task that completes when the event is published (on other servers it may be delivered later).</returns>
    /// <exception cref="AgentBridgeUnavailableException">The store cannot be reached in time.</exception>
    public abstract ValueTask BroadcastAsync(PreparedAgentEvent agentEvent, CancellationToken cancellationToken);

    /// <summary>
    /// Answers a client's <c>{"type":"resume","lastSeq":N}</c> through
    /// <see cref="AgentEventConnection.TryWriteResumed"/>: recovered when <paramref name="epoch"/> is the stream's
    /// (or not given) and every event after <paramref name="lastSeq"/> is still in the replay window; then those events
    /// follow the answer, with no live event between them.
    /// </summary>
    /// <param name="connection">The connection that asked.</param>
    /// <param name="lastSeq">The last <c>seq</c> the client applied.</param>
    /// <param name="epoch">The epoch the client last saw, if any.</param>
    /// <param name="cancellationToken">Cancels the answer.</param>
    /// <returns>A task that completes when the answer is queued.</returns>
    /// <exception cref="AgentBridgeUnavailableException">The store cannot be reached in time; the client is told to try again.</exception>
    public abstract ValueTask ResumeAsync(AgentEventConnection connection, long lastSeq, string? epoch, CancellationToken cancellationToken);

    /// <summary>The number of open connections of a user on this server.</summary>
    /// <param name="userId">The user.</param>
    /// <returns>The number of connections; 0 for an unknown user.</returns>
    public abstract int GetConnectionCount(string userId);

    /// <summary>Releases the streams' resources (timers, store connections).</summary>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the streams' resources.</summary>
    /// <param name="disposing">Whether this is called from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
    }
}
