using Microsoft.Extensions.Logging;

namespace AgentBridge.AgUi;

/// <summary>The log messages of the AG-UI endpoint (event ids 40 to 49).</summary>
internal static partial class AgUiLog
{
    [LoggerMessage(40, LogLevel.Information, "Refused an AG-UI request with status {StatusCode}: {Reason}")]
    public static partial void Refused(ILogger logger, int statusCode, string reason);

    [LoggerMessage(41, LogLevel.Error, "The AG-UI run {RunId} failed.")]
    public static partial void RunFailed(ILogger logger, string runId, Exception exception);

    [LoggerMessage(42, LogLevel.Debug, "The client of AG-UI run {RunId} went away; the run is cancelled.")]
    public static partial void ClientGone(ILogger logger, string runId);
}
