namespace AgentBridge;

/// <summary>The WebSocket close codes the event socket uses. See <c>docs/protocol.md</c>.</summary>
public static class AgentBridgeCloseCodes
{
    /// <summary>The client or the server ended the connection normally.</summary>
    public const int NormalClosure = 1000;

    /// <summary>The server is shutting down; reconnect (to another node) and resume.</summary>
    public const int GoingAway = 1001;

    /// <summary>The client sent a binary frame; only JSON text frames are accepted.</summary>
    public const int UnsupportedData = 1003;

    /// <summary>The client sent text that is not valid UTF-8.</summary>
    public const int InvalidPayloadData = 1007;

    /// <summary>The client broke a policy, e.g. sent messages faster than allowed.</summary>
    public const int PolicyViolation = 1008;

    /// <summary>The client sent a message larger than <see cref="AgentBridgeOptions.MaxClientMessageSize"/>.</summary>
    public const int MessageTooBig = 1009;

    /// <summary>The server failed unexpectedly.</summary>
    public const int InternalError = 1011;

    /// <summary>
    /// The client read too slowly and its outgoing queue overflowed. No event is lost: reconnect and send
    /// <c>{"type":"resume","lastSeq":N}</c>.
    /// </summary>
    public const int QueueOverflow = 4001;

    /// <summary>
    /// The user already has <see cref="AgentBridgeOptions.MaxConnectionsPerUser"/> event sockets open on this server.
    /// Terminal: reconnecting at once would be refused again; close another tab first.
    /// </summary>
    public const int TooManyConnections = 4002;

    /// <summary>
    /// The user's stream cannot go on without a gap on this connection: its store lost it and began a new epoch
    /// (with Redis: Redis restarted without its data), or events this server had to deliver are no longer in the
    /// replay window. Sent before any event of the new stream. Reconnect and resume with <c>lastSeq</c> and
    /// <c>epoch</c>: the answer says <c>recovered:false</c>, and the client reloads its state.
    /// </summary>
    public const int StreamReset = 4003;
}
