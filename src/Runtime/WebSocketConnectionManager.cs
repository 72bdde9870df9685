using System.Collections.Concurrent;
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
    private readonly AgentEventStreams _streams;
    private readonly bool _ownsStreams;
    private readonly ConcurrentDictionary<AgentBridgeConnection, byte> _local = new();
    private readonly EventSerializer _serializer;
    private readonly bool _ownsMetrics;
    private bool _disposed;

    /// <summary>Creates a manager with default options, for use outside dependency injection.</summary>
    public WebSocketConnectionManager()
        : this(new AgentBridgeOptions())
    {
    }

    /// <summary>Creates a manager with the single-server (in-memory) streams, for use outside dependency injection.</summary>
    /// <param name="options">The options.</param>
    /// <param name="loggerFactory">Where to log, or <see langword="null"/> for nowhere.</param>
    public WebSocketConnectionManager(AgentBridgeOptions options, ILoggerFactory? loggerFactory = null)
        : this(Microsoft.Extensions.Options.Options.Create(options ?? throw new ArgumentNullException(nameof(options))), loggerFactory ?? NullLoggerFactory.Instance, new AgentBridgeMetrics(meterFactory: null), TimeProvider.System, streams: null)
    {
        _ownsMetrics = true;
    }

    /// <summary>Creates a manager over <paramref name="streams"/>, or over in-memory streams of its own when it is <see langword="null"/>.</summary>
    internal WebSocketConnectionManager(IOptions<AgentBridgeOptions> options, ILoggerFactory loggerFactory, AgentBridgeMetrics metrics, TimeProvider time, AgentEventStreams? streams)
    {
        Options = options.Value;
        Options.Validate();
        Logger = loggerFactory.CreateLogger<WebSocketConnectionManager>();
        Metrics = metrics;
        _serializer = new EventSerializer(Options.JsonSerializerOptions, time);
        _ownsStreams = streams is null;
        _streams = streams ?? new InMemoryEventStreams(Options, Metrics, Logger, time);
    }

    internal AgentBridgeOptions Options { get; }

    internal ILogger Logger { get; }

    internal AgentBridgeMetrics Metrics { get; }

    internal AgentEventStreams Streams => _streams;

    /// <summary>The event sockets open on this server, for the shutdown.</summary>
    internal ICollection<AgentBridgeConnection> LocalConnections => _local.Keys;

    /// <summary>
    /// Sends an event to every connection of a user. Application code should emit through a bridge from
    /// <see cref="IAgentWebSocketBridgeFactory"/> instead (AGB0001).
    /// </summary>
    /// <param name="userId">The user.</param>
    /// <param name="agentEvent">The event.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>A task that completes when the event is numbered and queued.</returns>
    /// <exception cref="AgentBridgeUnavailableException">The store of the streams (Redis) cannot be reached.</exception>
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
    /// <exception cref="AgentBridgeUnavailableException">The store of the streams (Redis) cannot be reached.</exception>
    public Task SendToConnectionAsync(string connectionId, AgentEvent agentEvent, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionId);
        ArgumentNullException.ThrowIfNull(agentEvent);
        ThrowIfDisposed();
        var prepared = _serializer.Prepare(agentEvent, context: null);
        ValueTask<bool> pending;
        try
        {
            pending = _streams.PublishToConnectionAsync(connectionId, prepared, cancellationToken);
        }
        catch
        {
            prepared.Release();
            throw;
        }

        if (pending.IsCompletedSuccessfully)
        {
            prepared.Release();
            CountToConnection(pending.Result);
            return Task.CompletedTask;
        }

        return AwaitToConnectionAsync(pending, prepared);
    }

    /// <summary>Sends an event to every connected user, each in their own stream (AGB0001).</summary>
    /// <param name="agentEvent">The event.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>A task that completes when the event is queued for every user (with Redis: published to every server).</returns>
    /// <exception cref="AgentBridgeUnavailableException">The store of the streams (Redis) cannot be reached.</exception>
    public Task BroadcastAsync(AgentEvent agentEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agentEvent);
        ThrowIfDisposed();
        return Publish(static (streams, _, p, ct) => streams.BroadcastAsync(p, ct), string.Empty, _serializer.Prepare(agentEvent, context: null), countEmitted: false, cancellationToken);
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
            if (_ownsStreams)
            {
                _streams.Dispose();
            }

            if (_ownsMetrics)
            {
                Metrics.Dispose();
            }
        }
    }

    /// <summary>Emits for a user context: the path every bridge takes.</summary>
    internal Task EmitAsync(UserExecutionContext context, AgentEvent agentEvent, CancellationToken cancellationToken) =>
        PublishAsync(context.UserId, _serializer.Prepare(agentEvent, context), cancellationToken);

    /// <summary>Counts a connection that joined its user's stream on this server.</summary>
    internal void AddLocal(AgentBridgeConnection connection)
    {
        if (_local.TryAdd(connection, 0))
        {
            Metrics.OpenConnections.Add(1);
        }
    }

    /// <summary>Forgets a connection that left its user's stream; safe to call more than once.</summary>
    internal void RemoveLocal(AgentBridgeConnection connection)
    {
        if (_local.TryRemove(connection, out _))
        {
            Metrics.OpenConnections.Add(-1);
        }
    }

    private Task PublishAsync(string userId, PreparedAgentEvent prepared, CancellationToken cancellationToken)
    {
        if (_disposed)
        {
            prepared.Release();
            ThrowIfDisposed();
        }

        return Publish(static (streams, id, p, ct) => streams.PublishAsync(id, p, ct), userId, prepared, countEmitted: true, cancellationToken);
    }

    /// <summary>Calls the streams, counts the event once it is published, and returns its pooled bytes either way.</summary>
    private Task Publish(Func<AgentEventStreams, string, PreparedAgentEvent, CancellationToken, ValueTask> call, string key, PreparedAgentEvent prepared, bool countEmitted, CancellationToken cancellationToken)
    {
        ValueTask pending;
        try
        {
            pending = call(_streams, key, prepared, cancellationToken);
        }
        catch
        {
            prepared.Release();
            throw;
        }

        if (pending.IsCompletedSuccessfully)
        {
            pending.GetAwaiter().GetResult();
            prepared.Release();
            if (countEmitted)
            {
                Metrics.Emitted();
            }

            return Task.CompletedTask;
        }

        return AwaitPublishAsync(pending, prepared, countEmitted);
    }

    private async Task AwaitPublishAsync(ValueTask pending, PreparedAgentEvent prepared, bool countEmitted)
    {
        try
        {
            await pending.ConfigureAwait(false);
            if (countEmitted)
            {
                Metrics.Emitted();
            }
        }
        finally
        {
            prepared.Release();
        }
    }

    private async Task AwaitToConnectionAsync(ValueTask<bool> pending, PreparedAgentEvent prepared)
    {
        try
        {
            CountToConnection(await pending.ConfigureAwait(false));
        }
        finally
        {
            prepared.Release();
        }
    }

    private void CountToConnection(bool published)
    {
        if (published)
        {
            Metrics.Emitted();
        }
        else
        {
            Metrics.EventsDropped.Add(1);
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}
