namespace AgentBridge;

/// <summary>
/// One event socket as <see cref="AgentEventStreams"/> sees it: whose it is, and the three ways to write to it.
/// The runtime's own connection implements it over a WebSocket with one bounded queue and one writer; nothing here
/// ever blocks or does I/O.
/// </summary>
public abstract class AgentEventConnection
{
    /// <summary>Creates the connection.</summary>
    protected AgentEventConnection()
    {
    }

    /// <summary>The connection's id, unique on this server (see <see cref="WebSocketConnectionManager.SendToConnectionAsync"/>).</summary>
    public abstract string ConnectionId { get; }

    /// <summary>The user the connection was authenticated as, fixed for its lifetime.</summary>
    public abstract string UserId { get; }

    /// <summary>
    /// Queues a live event of the connection's user. A connection that is closing, or whose queue is full, refuses it:
    /// a full queue closes the connection with <see cref="AgentBridgeCloseCodes.QueueOverflow"/>, and its client
    /// resumes from the replay window.
    /// </summary>
    /// <param name="frame">The event, in <c>seq</c> order with every other frame written to this connection.</param>
    /// <returns><see langword="true"/> when the event was queued.</returns>
    public abstract bool TryWriteEvent(AgentEventFrame frame);

    /// <summary>
    /// Answers the client's <c>resume</c>: queues <c>{"type":"resumed",…}</c> and then, one after the other, the
    /// replayed events. These are bounded by the replay window rather than by the queue's limits. No live event may
    /// be written between them: call it under the same lock that orders the user's live events.
    /// </summary>
    /// <param name="recovered">Whether every event the client asked for is replayed.</param>
    /// <param name="epoch">The current epoch of the user's stream.</param>
    /// <param name="lastSeq">The user's newest <c>seq</c>.</param>
    /// <param name="oldestSeq">The oldest <c>seq</c> still in the replay window (<paramref name="lastSeq"/> + 1 when it is empty).</param>
    /// <param name="replay">The events to replay, in <c>seq</c> order; empty when not <paramref name="recovered"/>.</param>
    /// <returns><see langword="false"/> when the connection is closing and took nothing.</returns>
    public abstract bool TryWriteResumed(bool recovered, string epoch, long lastSeq, long oldestSeq, IEnumerable<AgentEventFrame> replay);

    /// <summary>Closes the connection with a close code once the frames already queued have been sent (or the close timeout passed).</summary>
    /// <param name="closeCode">One of <see cref="AgentBridgeCloseCodes"/>, e.g. <see cref="AgentBridgeCloseCodes.StreamReset"/>.</param>
    /// <param name="reason">A short reason for the client (at most 123 bytes of UTF-8).</param>
    public abstract void Close(int closeCode, string reason);
}
