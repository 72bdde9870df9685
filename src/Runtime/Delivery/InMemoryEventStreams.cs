using System.Collections.Concurrent;
using System.Diagnostics;
using AgentBridge.Diagnostics;
using AgentBridge.Transport;
using Microsoft.Extensions.Logging;

namespace AgentBridge.Delivery;

/// <summary>
/// The single-node event streams, the default <see cref="AgentEventStreams"/>: one <see cref="UserStream"/> per
/// user, holding the user's sequence counter, replay window and connections. A user's lock is held only to number
/// an event, append it and hand the same bytes to each of the user's queues, so users never wait on each other and
/// a slow socket never holds it.
/// </summary>
internal sealed class InMemoryEventStreams : AgentEventStreams
{
    private readonly ConcurrentDictionary<string, UserStream> _streams = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, AgentEventConnection> _connections = new(StringComparer.Ordinal);
    private readonly AgentBridgeOptions _options;
    private readonly AgentBridgeMetrics _metrics;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly long _maxAgeTicks;
    private readonly ITimer _sweeper;

    public InMemoryEventStreams(AgentBridgeOptions options, AgentBridgeMetrics metrics, ILogger logger, TimeProvider time)
    {
        _options = options;
        _metrics = metrics;
        _logger = logger;
        _time = time;
        _maxAgeTicks = (long)(options.ReplayWindowAge.TotalSeconds * time.TimestampFrequency);
        var sweepEvery = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerSecond, options.ReplayWindowAge.Ticks / 4));
        _sweeper = time.CreateTimer(static state => ((InMemoryEventStreams)state!).Sweep(), this, sweepEvery, sweepEvery);
    }

    public override ValueTask PublishAsync(string userId, PreparedAgentEvent agentEvent, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        while (true)
        {
            var stream = _streams.GetOrAdd(userId, static (id, time) => new UserStream(id, time.GetTimestamp()), _time);
            lock (stream)
            {
                if (stream.Removed)
                {
                    continue;
                }

                var now = _time.GetTimestamp();
                var frame = Number(stream, agentEvent, now);
                stream.Append(new WindowEntry(frame, now), _options.ReplayWindowSize);
                stream.PruneOlderThan(now - _maxAgeTicks);
                foreach (var connection in stream.Connections)
                {
                    connection.TryWriteEvent(frame);
                }
            }

            return ValueTask.CompletedTask;
        }
    }

    public override ValueTask<bool> PublishToConnectionAsync(string connectionId, PreparedAgentEvent agentEvent, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!_connections.TryGetValue(connectionId, out var connection)
            || !_streams.TryGetValue(connection.UserId, out var stream))
        {
            Log.UnknownConnection(_logger, connectionId);
            return ValueTask.FromResult(false);
        }

        lock (stream)
        {
            connection.TryWriteEvent(Number(stream, agentEvent, _time.GetTimestamp()));
        }

        return ValueTask.FromResult(true);
    }

    public override async ValueTask BroadcastAsync(PreparedAgentEvent agentEvent, CancellationToken cancellationToken)
    {
        foreach (var stream in _streams.Values)
        {
            if (stream.Connections.Length > 0)
            {
                await PublishAsync(stream.UserId, agentEvent, cancellationToken).ConfigureAwait(false);
                _metrics.Emitted();
            }
        }
    }

    public override ValueTask OnConnectedAsync(AgentEventConnection connection, CancellationToken cancellationToken)
    {
        _connections[connection.ConnectionId] = connection;
        while (true)
        {
            var stream = _streams.GetOrAdd(connection.UserId, static (id, time) => new UserStream(id, time.GetTimestamp()), _time);
            lock (stream)
            {
                if (stream.Removed)
                {
                    continue;
                }

                stream.Connections = [.. stream.Connections, connection];
                return ValueTask.CompletedTask;
            }
        }
    }

    public override ValueTask OnDisconnectedAsync(AgentEventConnection connection)
    {
        if (!_connections.TryRemove(new KeyValuePair<string, AgentEventConnection>(connection.ConnectionId, connection)))
        {
            return ValueTask.CompletedTask;
        }

        if (_streams.TryGetValue(connection.UserId, out var stream))
        {
            lock (stream)
            {
                stream.Connections = Array.FindAll(stream.Connections, c => !ReferenceEquals(c, connection));
                stream.LastActiveTicks = _time.GetTimestamp();
            }
        }

        return ValueTask.CompletedTask;
    }

    public override ValueTask ResumeAsync(AgentEventConnection connection, long lastSeq, string? epoch, CancellationToken cancellationToken)
    {
        var stream = _streams.GetOrAdd(connection.UserId, static (id, time) => new UserStream(id, time.GetTimestamp()), _time);
        int replayed = 0;
        bool recovered;
        lock (stream)
        {
            stream.PruneOlderThan(_time.GetTimestamp() - _maxAgeTicks);
            var oldest = stream.OldestSeq;
            recovered = (epoch is null || string.Equals(epoch, stream.Epoch, StringComparison.Ordinal))
                && lastSeq <= stream.LastSeq
                && lastSeq >= oldest - 1;
            var replay = recovered ? stream.Window.Where(e => e.Frame.Seq > lastSeq).Select(e => e.Frame).ToList() : [];
            if (connection.TryWriteResumed(recovered, stream.Epoch, stream.LastSeq, oldest, replay))
            {
                replayed = replay.Count;
            }
        }

        Log.Resumed(_logger, connection.ConnectionId, lastSeq, recovered, replayed);
        return ValueTask.CompletedTask;
    }

    public override int GetConnectionCount(string userId) =>
        _streams.TryGetValue(userId, out var stream) ? stream.Connections.Length : 0;

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _sweeper.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>Drops expired events, and the streams of users with no connection and nothing left to replay.</summary>
    internal void Sweep()
    {
        var now = _time.GetTimestamp();
        foreach (var stream in _streams.Values)
        {
            lock (stream)
            {
                stream.PruneOlderThan(now - _maxAgeTicks);
                if (stream.Connections.Length == 0 && stream.Window.Count == 0 && now - stream.LastActiveTicks > _maxAgeTicks)
                {
                    stream.Removed = true;
                    _streams.TryRemove(new KeyValuePair<string, UserStream>(stream.UserId, stream));
                }
            }
        }
    }

    private static AgentEventFrame Number(UserStream stream, PreparedAgentEvent agentEvent, long now)
    {
        stream.LastActiveTicks = now;
        return agentEvent.ToFrame(++stream.LastSeq);
    }

    /// <summary>An event kept for resume, with the time it was numbered (<see cref="TimeProvider"/> ticks) for the window's age.</summary>
    private readonly record struct WindowEntry(AgentEventFrame Frame, long CreatedTicks);

    /// <summary>One user's stream. Guarded by its own monitor.</summary>
    private sealed class UserStream
    {
        public UserStream(string userId, long createdTicks)
        {
            UserId = userId;
            Epoch = Guid.NewGuid().ToString("N")[..12];
            LastActiveTicks = createdTicks;
        }

        public string UserId { get; }

        /// <summary>Names this incarnation of the stream: a resume that names another epoch cannot be recovered.</summary>
        public string Epoch { get; }

        public long LastSeq { get; set; }

        public long LastActiveTicks { get; set; }

        public bool Removed { get; set; }

        /// <summary>Copy-on-write, so fan-out iterates without copying.</summary>
        public AgentEventConnection[] Connections { get; set; } = [];

        public Queue<WindowEntry> Window { get; } = new();

        public long OldestSeq => Window.Count > 0 ? Window.Peek().Frame.Seq : LastSeq + 1;

        public void Append(WindowEntry entry, int capacity)
        {
            Window.Enqueue(entry);
            while (Window.Count > capacity)
            {
                Window.Dequeue();
            }
        }

        public void PruneOlderThan(long ticks)
        {
            while (Window.Count > 0 && Window.Peek().CreatedTicks < ticks)
            {
                Window.Dequeue();
            }
        }
    }
}
