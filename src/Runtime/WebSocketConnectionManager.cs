using System.Diagnostics.Metrics;
using AgentBridge.Delivery;
using AgentBridge.Diagnostics;
using AgentBridge.Transport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AgentBridge;

/// <summary>
/// Owns every event socket of this server and the per-user streams behind them. A user may have several
/// connections (tabs, devices); each receives the user's events in <c>seq</c> order.
/// </summary>
/// <remarks>
/// This is the low-level transport. Application code emits through an <see cref="AgentWebSocketBridge"/>
/// from <see cref="IAgentWebSocketBridgeFactory"/>, which addresses the user of its
/// <see cref="UserExecutionContext"/>; calling the send members here with a user id picked up elsewhere is
/// how one user's events reach another (analyzer rule AGB0001).
/// </remarks>
public class WebSocketConnectionManager : IDisposable
{
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1859", Justification = "The seam a scale-out implementation plugs into.")]
    private readonly IEventStreams _streams;
    private readonly EventSerializer _serializer;
    private readonly bool _ownsMetrics;
    private bool _disposed;

    /// <summary>Creates a manager with default options, for use outside dependency injection.</summary>
    public WebSocketConnectionManager()
        : this(new AgentBridgeOptions())
    {
    }

    /// <summary>Creates a manager, for use outside dependency injection.</summary>
    /// <param name="options">The options.</param>
    /// <param name="loggerFactory">Where to log, or <see langword="null"/> for nowhere.</param>
    public WebSocketConnectionManager(AgentBridgeOptions options, ILoggerFactory? loggerFactory = null)
        : this(Microsoft.Extensions.Options.Options.Create(options ?? throw new ArgumentNullException(nameof(options))), loggerFactory ?? NullLoggerFactory.Instance, new AgentBridgeMetrics(meterFactory: null), TimeProvider.System)
    {
        _ownsMetrics = true;
    }

    internal WebSocketConnectionManager(IOptions<AgentBridgeOptions> options, ILoggerFactory loggerFactory, AgentBridgeMetrics metrics, TimeProvider time)
    {
        Options = options.Value;
        Options.Validate();
        Logger = loggerFactory.CreateLogger<WebSocketConnectionManager>();
        Metrics = metrics;
        _serializer = new EventSerializer(Options.JsonSerializerOptions, time);
        _streams = new InMemoryEventStreams(Options, Metrics, Logger, time);
    }

    internal AgentBridgeOptions Options { get; }

    internal ILogger Logger { get; }

    internal AgentBridgeMetrics Metrics { get; }

    internal IEventStreams Streams => _streams;

    /// <summary>
    /// Sends an event to every connection of a user. Application code should emit through a bridge from
    /// <see cref="IAgentWebSocketBridgeFactory"/> instead (AGB0001).
    /// </summary>
    /// <param name="userId">The user.</param>
    /// <param name="agentEvent">The event.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>A task that completes when the event is numbered and queued.</returns>
    public Task SendToUserAsync(string userId, AgentEvent agentEvent, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        ArgumentNullException.ThrowIfNull(agentEvent);
        return PublishAsync(userId, _serializer.Prepare(agentEvent, context: null), cancellationToken);
    }

    /// <summary>
    /// Sends an event to one connection. It takes the next <c>seq</c> of the connection's user but is not kept
    /// for resume. Application code should emit through a bridge instead (AGB0001).
    /// </summary>
    /// <param name="connectionId">The connection.</param>
    /// <param name="agentEvent">The event.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>A task that completes when the event is queued; an unknown connection is ignored.</returns>
    public Task SendToConnectionAsync(string connectionId, AgentEvent agentEvent, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionId);
        ArgumentNullException.ThrowIfNull(agentEvent);
        ThrowIfDisposed();
        var prepared = _serializer.Prepare(agentEvent, context: null);
        return Release(CallStreams(static (streams, id, p, ct) => streams.PublishToConnectionAsync(id, p, ct), connectionId, prepared, cancellationToken), prepared);
    }

    /// <summary>Sends an event to every connected user, each in their own stream (AGB0001).</summary>
    /// <param name="agentEvent">The event.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>A task that completes when the event is queued for every user.</returns>
    public Task BroadcastAsync(AgentEvent agentEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agentEvent);
        ThrowIfDisposed();
        var prepared = _serializer.Prepare(agentEvent, context: null);
        return Release(CallStreams(static (streams, _, p, ct) => streams.BroadcastAsync(p, ct), string.Empty, prepared, cancellationToken), prepared);
    }

    /// <summary>The number of open event sockets of a user on this server.</summary>
    /// <param name="userId">The user.</param>
    /// <returns>The number of connections; 0 for an unknown user.</returns>
    public int GetConnectionCount(string userId)
    {
        ArgumentNullException.ThrowIfNull(userId);
        return _streams.GetConnectionCount(userId);
    }

    /// <summary>Stops the manager's timers. Open sockets are closed by the host.</summary>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the manager's resources.</summary>
    /// <param name="disposing">Whether this is called from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (disposing)
        {
            _streams.Dispose();
            if (_ownsMetrics)
            {
                Metrics.Dispose();
            }
        }
    }

    /// <summary>Emits for a user context: the path every bridge takes.</summary>
    internal Task EmitAsync(UserExecutionContext context, AgentEvent agentEvent, CancellationToken cancellationToken) =>
        PublishAsync(context.UserId, _serializer.Prepare(agentEvent, context), cancellationToken);

    private Task PublishAsync(string userId, PreparedEvent prepared, CancellationToken cancellationToken)
    {
        if (_disposed)
        {
            prepared.Dispose();
            ThrowIfDisposed();
        }

        return Release(CallStreams(static (streams, id, p, ct) => streams.PublishAsync(id, p, ct), userId, prepared, cancellationToken), prepared);
    }

    private ValueTask CallStreams(Func<IEventStreams, string, PreparedEvent, CancellationToken, ValueTask> call, string key, PreparedEvent prepared, CancellationToken cancellationToken)
    {
        try
        {
            return call(_streams, key, prepared, cancellationToken);
        }
        catch
        {
            prepared.Dispose();
            throw;
        }
    }

    /// <summary>Returns the prepared event's pooled bytes once the streams are done with them.</summary>
    private static Task Release(ValueTask pending, PreparedEvent prepared)
    {
        if (pending.IsCompletedSuccessfully)
        {
            prepared.Dispose();
            return Task.CompletedTask;
        }

        return AwaitThenRelease(pending, prepared);

        static async Task AwaitThenRelease(ValueTask pending, PreparedEvent prepared)
        {
            try
            {
                await pending.ConfigureAwait(false);
            }
            finally
            {
                prepared.Dispose();
            }
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}
