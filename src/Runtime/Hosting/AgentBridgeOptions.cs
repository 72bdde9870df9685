using System.Text.Json;

namespace AgentBridge;

/// <summary>Options of AgentBridge, set through <c>AddAgentBridge(options =&gt; ...)</c>.</summary>
public sealed class AgentBridgeOptions
{
    /// <summary>How many of a user's most recent events are kept for resume. Default 1,000.</summary>
    public int ReplayWindowSize { get; set; } = 1000;

    /// <summary>How long an event is kept for resume. Default 5 minutes.</summary>
    public TimeSpan ReplayWindowAge { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How many events may wait in one connection's outgoing queue. When a client reads too slowly and the
    /// queue is full, the connection is closed with <see cref="AgentBridgeCloseCodes.QueueOverflow"/>; it can
    /// reconnect and resume. Default 1,024.
    /// </summary>
    public int MaxQueuedEventsPerConnection { get; set; } = 1024;

    /// <summary>How many bytes may wait in one connection's outgoing queue. Default 4 MiB.</summary>
    public long MaxQueuedBytesPerConnection { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// The largest message a client may send. Clients only send control messages, so the default is 4 KiB.
    /// A larger message closes the connection with code 1009.
    /// </summary>
    public int MaxClientMessageSize { get; set; } = 4 * 1024;

    /// <summary>How many messages a client may send per second before it is closed with code 1008. Default 20.</summary>
    public int MaxClientMessagesPerSecond { get; set; } = 20;

    /// <summary>
    /// The origins allowed to open the event socket, e.g. <c>https://app.example.com</c>. Empty (the default)
    /// allows the page's own origin only: an upgrade whose <c>Origin</c> has the host and port of the request, or
    /// one without an <c>Origin</c> header (a client that is not a browser). Others are refused with 403.
    /// </summary>
    public IList<string> AllowedOrigins { get; } = new List<string>();

    /// <summary>
    /// Accepts upgrades from any origin, cross-site pages included. Off by default: browsers send cookies on
    /// cross-site WebSocket upgrades, so with cookie authentication any site could open a socket as the signed-in
    /// user. Turn it on only when the socket authenticates with something a cross-site page cannot send (a bearer
    /// token, say).
    /// </summary>
    public bool AllowAnyOrigin { get; set; }

    /// <summary>
    /// How many event sockets one user may have open on this server at once. Beyond that, the new socket is
    /// accepted and closed at once with <see cref="AgentBridgeCloseCodes.TooManyConnections"/>. Default 20.
    /// </summary>
    public int MaxConnectionsPerUser { get; set; } = 20;

    /// <summary>How often the server pings an idle connection. Default 15 seconds.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long a closing connection may take to flush its queue and finish the close handshake before its
    /// socket is aborted. Default 5 seconds.
    /// </summary>
    public TimeSpan CloseTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Whether a failed run's <c>agent_completed</c> event carries the exception message. Off by default,
    /// because exception messages can reveal internals to the browser.
    /// </summary>
    public bool IncludeExceptionDetails { get; set; }

    /// <summary>
    /// How long a user's <see cref="UserAgentSession"/> is kept in the <see cref="AgentRegistry"/> after it was last
    /// asked for, while the user has no connection on this server; then it is released with its agents. Default 20
    /// minutes; <see cref="Timeout.InfiniteTimeSpan"/> keeps sessions until <see cref="AgentRegistry.RemoveUserSession"/>.
    /// </summary>
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromMinutes(20);

    /// <summary>The serializer options for event data. camelCase (<see cref="JsonSerializerDefaults.Web"/>) by default.</summary>
    public JsonSerializerOptions JsonSerializerOptions { get; set; } = new(JsonSerializerDefaults.Web);

    internal void Validate()
    {
        RequirePositive(ReplayWindowSize, nameof(ReplayWindowSize));
        RequirePositive(MaxQueuedEventsPerConnection, nameof(MaxQueuedEventsPerConnection));
        RequirePositive(MaxQueuedBytesPerConnection, nameof(MaxQueuedBytesPerConnection));
        RequirePositive(MaxClientMessageSize, nameof(MaxClientMessageSize));
        RequirePositive(MaxClientMessagesPerSecond, nameof(MaxClientMessagesPerSecond));
        RequirePositive(MaxConnectionsPerUser, nameof(MaxConnectionsPerUser));
        RequirePositive(ReplayWindowAge.Ticks, nameof(ReplayWindowAge));
        RequirePositive(CloseTimeout.Ticks, nameof(CloseTimeout));
        if (SessionIdleTimeout != Timeout.InfiniteTimeSpan)
        {
            RequirePositive(SessionIdleTimeout.Ticks, nameof(SessionIdleTimeout));
        }

        if (KeepAliveInterval < TimeSpan.Zero)
        {
            throw new InvalidOperationException($"AgentBridgeOptions.{nameof(KeepAliveInterval)} must not be negative.");
        }

        if (JsonSerializerOptions is null)
        {
            throw new InvalidOperationException($"AgentBridgeOptions.{nameof(JsonSerializerOptions)} must be set.");
        }
    }

    private static void RequirePositive(long value, string name)
    {
        if (value <= 0)
        {
            throw new InvalidOperationException($"AgentBridgeOptions.{name} must be greater than zero; it is {value}.");
        }
    }
}
