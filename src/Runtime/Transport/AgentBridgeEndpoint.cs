using System.Net.WebSockets;
using System.Security.Cryptography;
using AgentBridge.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentBridge.Transport;

/// <summary>Accepts event sockets: authenticates, fixes the user id from the principal, and runs the connection.</summary>
internal sealed class AgentBridgeEndpoint
{
    private readonly WebSocketConnectionManager _manager;
    private readonly IAgentBridgeUserIdProvider _userIds;
    private readonly IHostApplicationLifetime? _lifetime;
    private readonly AgentBridgeShutdown _shutdown;
    private readonly AgentBridgeOptions _options;
    private readonly AgentBridgeMetrics _metrics;
    private readonly ILogger _logger;
    private readonly ConnectionCounter _connectionsPerUser;

    public AgentBridgeEndpoint(
        WebSocketConnectionManager manager,
        IAgentBridgeUserIdProvider userIds,
        AgentBridgeShutdown shutdown,
        IOptions<AgentBridgeOptions> options,
        AgentBridgeMetrics metrics,
        ILogger<AgentBridgeEndpoint> logger,
        IServiceProvider services)
    {
        _shutdown = shutdown;
        _manager = manager;
        _userIds = userIds;
        _lifetime = (IHostApplicationLifetime?)services.GetService(typeof(IHostApplicationLifetime));
        _options = options.Value;
        _metrics = metrics;
        _logger = logger;
        _connectionsPerUser = new ConnectionCounter(_options.MaxConnectionsPerUser);
    }

    public async Task HandleAsync(HttpContext context)
    {
        // Authentication first: a page whose socket failed to open can ask with a plain GET whether its user is
        // still signed in (a browser never shows the status of a refused upgrade) and get 401, not 400.
        if (context.User.Identity?.IsAuthenticated != true)
        {
            await RejectAsync(context, StatusCodes.Status401Unauthorized, "authentication required").ConfigureAwait(false);
            return;
        }

        if (!context.WebSockets.IsWebSocketRequest)
        {
            await RejectAsync(context, StatusCodes.Status400BadRequest, "this endpoint only accepts WebSocket upgrades").ConfigureAwait(false);
            return;
        }

        var userId = _userIds.GetUserId(context.User);
        if (string.IsNullOrWhiteSpace(userId))
        {
            await RejectAsync(context, StatusCodes.Status403Forbidden, "the authenticated principal has no user id").ConfigureAwait(false);
            return;
        }

        if (!OriginPolicy.IsAllowed(_options, context.Request))
        {
            await RejectAsync(context, StatusCodes.Status403Forbidden, "origin not allowed").ConfigureAwait(false);
            return;
        }

        var acceptContext = new WebSocketAcceptContext { KeepAliveInterval = _options.KeepAliveInterval };
#if NET9_0_OR_GREATER
        if (_options.KeepAliveInterval > TimeSpan.Zero)
        {
            // Ping and expect a pong within the interval: a peer that vanished is found within twice the interval.
            acceptContext.KeepAliveTimeout = _options.KeepAliveInterval;
        }
#endif
        using var connection = new AgentBridgeConnection(NewConnectionId(), userId, _options, _metrics, _logger);
        if (!_connectionsPerUser.TryReserve(userId))
        {
            // Over the cap: the socket is accepted only to say why in a close code the client can act on.
            Log.TooManyConnections(_logger, connection.Id, _options.MaxConnectionsPerUser);
            connection.RequestClose(AgentBridgeCloseCodes.TooManyConnections, "too many connections for this user", drain: false);
            using var refused = await context.WebSockets.AcceptWebSocketAsync(acceptContext).ConfigureAwait(false);
            await connection.RunAsync(refused, static (_, _) => Task.CompletedTask).ConfigureAwait(false);
            return;
        }

        // The place frees up as the connection leaves its user's stream (when it starts closing), not once its close
        // handshake is over: a tab closed and opened again at once gets its place back, as GetConnectionCount says.
        var released = 0;
        void ReleasePlace(AgentBridgeConnection _)
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                _connectionsPerUser.Release(userId);
            }
        }

        connection.Closing += ReleasePlace;
        try
        {
            await RunConnectionAsync(context, connection, acceptContext).ConfigureAwait(false);
        }
        finally
        {
            ReleasePlace(connection);
        }
    }

    private async Task RunConnectionAsync(HttpContext context, AgentBridgeConnection connection, WebSocketAcceptContext acceptContext)
    {
        // The connection joins its user's stream before the upgrade completes, so every event emitted after the
        // client saw "101 Switching Protocols" is delivered live; until the socket exists, events wait in its queue.
        connection.Closing += Leave;
        try
        {
            await _manager.Streams.OnConnectedAsync(connection, context.RequestAborted).ConfigureAwait(false);
        }
        catch (AgentBridgeUnavailableException ex)
        {
            // Without its store the connection could not be given its events: refuse it, the client retries later.
            Log.StreamsUnavailable(_logger, ex);
            Leave(connection);
            await RejectAsync(context, StatusCodes.Status503ServiceUnavailable, "the event stream store is unavailable; retry later").ConfigureAwait(false);
            return;
        }

        _manager.AddLocal(connection);
        try
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync(acceptContext).ConfigureAwait(false);
            Log.ConnectionOpened(_logger, connection.Id);
            if (_lifetime?.ApplicationStopping.IsCancellationRequested == true || _shutdown.IsStopping)
            {
                connection.RequestClose(AgentBridgeCloseCodes.GoingAway, "server shutting down", drain: true);
            }

            await connection.RunAsync(socket, HandleClientMessageAsync).ConfigureAwait(false);
        }
        finally
        {
            Leave(connection);
        }
    }

    /// <summary>Takes a closing connection out of its user's stream (more than one call is harmless).</summary>
    private void Leave(AgentBridgeConnection connection)
    {
        _manager.RemoveLocal(connection);
        var leaving = _manager.Streams.OnDisconnectedAsync(connection);
        if (leaving.IsCompletedSuccessfully)
        {
            leaving.GetAwaiter().GetResult();
        }
        else
        {
            _ = ObserveAsync(leaving, _logger);
        }

        static async Task ObserveAsync(ValueTask leaving, ILogger logger)
        {
            try
            {
                await leaving.ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                Log.StreamsDetachFailed(logger, ex);
            }
        }
    }

    private async Task HandleClientMessageAsync(AgentBridgeConnection connection, ReadOnlyMemory<byte> message)
    {
        var parsed = ClientMessage.Parse(message.Span);
        switch (parsed.Kind)
        {
            case ClientMessageKind.Ping:
                connection.EnqueueUnbounded(ClientMessage.Pong);
                break;
            case ClientMessageKind.Resume:
                try
                {
                    await _manager.Streams.ResumeAsync(connection, parsed.LastSeq, parsed.Epoch, CancellationToken.None).ConfigureAwait(false);
                }
                catch (AgentBridgeUnavailableException ex)
                {
                    // The connection stays open: the client sends its resume again a little later.
                    Log.StreamsUnavailable(_logger, ex);
                    connection.EnqueueUnbounded(ClientMessage.Error(ClientMessage.Unavailable, "the event stream store is unavailable; send the resume again later"));
                }

                break;
            default:
                Log.ClientMessageRefused(_logger, connection.Id, parsed.ErrorCode!);
                connection.EnqueueUnbounded(ClientMessage.Error(parsed.ErrorCode!, parsed.ErrorMessage!));
                break;
        }
    }

    private async Task RejectAsync(HttpContext context, int statusCode, string reason)
    {
        Log.UpgradeRejected(_logger, statusCode, reason);
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(reason, context.RequestAborted).ConfigureAwait(false);
    }

    private static string NewConnectionId()
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        return Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
