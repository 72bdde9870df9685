using Microsoft.Extensions.Logging;

namespace AgentBridge.StackExchangeRedis;

/// <summary>The log messages of the Redis scale-out (event ids 100 and up). User ids are never logged.</summary>
internal static partial class RedisLog
{
    [LoggerMessage(100, LogLevel.Information, "Connecting to Redis ({Mode} pub/sub once connected).")]
    public static partial void Connecting(ILogger logger, string mode);

    [LoggerMessage(101, LogLevel.Warning, "The Redis {ConnectionType} connection to {EndPoint} failed ({FailureType}); emits fail fast until it is back.")]
    public static partial void ConnectionFailed(ILogger logger, string connectionType, string endPoint, string failureType, Exception? exception);

    [LoggerMessage(102, LogLevel.Information, "The Redis {ConnectionType} connection to {EndPoint} is back; catching up every local user's stream.")]
    public static partial void ConnectionRestored(ILogger logger, string connectionType, string endPoint);

    [LoggerMessage(103, LogLevel.Debug, "Filled a gap of {Count} events from the window (a missed publish).")]
    public static partial void GapFilled(ILogger logger, long count);

    [LoggerMessage(104, LogLevel.Warning, "A user's stream was reset ({Reason}); {Connections} local connections closed with 4003.")]
    public static partial void StreamReset(ILogger logger, string reason, int connections);

    [LoggerMessage(105, LogLevel.Warning, "Delivering a user's events from Redis failed; the next message or catch-up retries.")]
    public static partial void DeliveryFailed(ILogger logger, Exception exception);

    [LoggerMessage(106, LogLevel.Debug, "Connection {ConnectionId} resumed after seq {LastSeq}: recovered {Recovered}, {Replayed} events replayed.")]
    public static partial void Resumed(ILogger logger, string connectionId, long lastSeq, bool recovered, int replayed);

    [LoggerMessage(107, LogLevel.Warning, "A message on an AgentBridge channel could not be read; it was ignored.")]
    public static partial void BadMessage(ILogger logger);

    [LoggerMessage(108, LogLevel.Warning, "Handing a broadcast or a connection's event to this server's users failed.")]
    public static partial void ControlFailed(ILogger logger, Exception exception);

    [LoggerMessage(109, LogLevel.Debug, "Unsubscribing a user's channel failed; Redis drops the subscription with the connection.")]
    public static partial void UnsubscribeFailed(ILogger logger, Exception exception);
}
