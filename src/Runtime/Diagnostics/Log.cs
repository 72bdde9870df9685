using Microsoft.Extensions.Logging;

namespace AgentBridge.Diagnostics;

/// <summary>The log messages of AgentBridge, each with its own event id.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Debug, "Connection {ConnectionId} opened.")]
    public static partial void ConnectionOpened(ILogger logger, string connectionId);

    [LoggerMessage(2, LogLevel.Debug, "Connection {ConnectionId} closed with code {CloseCode}: {Reason}")]
    public static partial void ConnectionClosed(ILogger logger, string connectionId, int closeCode, string reason);

    [LoggerMessage(3, LogLevel.Warning, "Connection {ConnectionId} read too slowly; its queue overflowed and it is being closed with code {CloseCode}.")]
    public static partial void QueueOverflow(ILogger logger, string connectionId, int closeCode);

    [LoggerMessage(4, LogLevel.Information, "Rejected an event socket request with status {StatusCode}: {Reason}")]
    public static partial void UpgradeRejected(ILogger logger, int statusCode, string reason);

    [LoggerMessage(5, LogLevel.Debug, "Connection {ConnectionId} sent a message that was refused ({ErrorCode}).")]
    public static partial void ClientMessageRefused(ILogger logger, string connectionId, string errorCode);

    [LoggerMessage(6, LogLevel.Debug, "Connection {ConnectionId} ended with a transport error.")]
    public static partial void TransportError(ILogger logger, string connectionId, Exception exception);

    [LoggerMessage(7, LogLevel.Debug, "An event for connection {ConnectionId} was dropped: the connection is gone.")]
    public static partial void UnknownConnection(ILogger logger, string connectionId);

    [LoggerMessage(9, LogLevel.Information, "Connection {ConnectionId} is closed at once: its user already has {Limit} connections open.")]
    public static partial void TooManyConnections(ILogger logger, string connectionId, int limit);

    [LoggerMessage(8, LogLevel.Debug, "Connection {ConnectionId} resumed after seq {LastSeq}: recovered {Recovered}, {Replayed} events replayed.")]
    public static partial void Resumed(ILogger logger, string connectionId, long lastSeq, bool recovered, int replayed);

    [LoggerMessage(9, LogLevel.Warning, "The event stream store is unavailable.")]
    public static partial void StreamsUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(10, LogLevel.Warning, "Releasing a closed connection's resources in the event streams failed.")]
    public static partial void StreamsDetachFailed(ILogger logger, Exception exception);

    [LoggerMessage(20, LogLevel.Warning, "SetWebSocketManager was called without a UserExecutionContext; the {Target} stays unwired and nothing will be sent for it. Pass the user's context.")]
    public static partial void WiredWithoutContext(ILogger logger, string target);

    [LoggerMessage(21, LogLevel.Debug, "Session of thread {ThreadId} wired to the WebSocket manager.")]
    public static partial void SessionWired(ILogger logger, string threadId);

    [LoggerMessage(22, LogLevel.Debug, "A user session was released ({Why}).")]
    public static partial void SessionReleased(ILogger logger, string why);
}
