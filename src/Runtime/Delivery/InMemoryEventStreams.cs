using System.Collections.Concurrent;
using System.Diagnostics;
using AgentBridge.Diagnostics;
using AgentBridge.Transport;
using Microsoft.Extensions.Logging;

namespace AgentBridge.Delivery;

/// <summary>
/// The single-node event streams: one <see cref="UserStream"/> per user, holding the user's sequence
/// counter, replay window and connections. A user's lock is held only to number an event, append it and
/// hand the same bytes to each of the user's queues, so users never wait on each other and a slow socket
/// never holds it.
/// </summary>
internal sealed class InMemoryEventStreams : IEventStreams
{
    private readonly ConcurrentDictionary<string, UserStream> _streams = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, AgentBridgeConnection> _connections = new(StringComparer.Ordinal);
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

    public ValueTask PublishAsync(string userId, PreparedEvent prepared, CancellationToken cancellationToken)
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

                var frame = Number(stream, prepared);
                stream.Append(frame, _options.ReplayWindowSize);
                stream.PruneOlderThan(frame.CreatedTicks - _maxAgeTicks);
                Fanout(stream, frame);
            }

            _metrics.Emitted();
            return ValueTask.CompletedTask;
        }
    }

    public ValueTask PublishToConnectionAsync(string connectionId, PreparedEvent prepared, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!_connections.TryGetValue(connectionId, out var connection)
            || !_streams.TryGetValue(connection.UserId, out var stream))
        {
            Log.UnknownConnection(_logger, connectionId);
            _metrics.EventsDropped.Add(1);
            return ValueTask.CompletedTask;
        }

        lock (stream)
        {
            var frame = Number(stream, prepared);
            if (!connection.TryEnqueueEvent(frame))
            {
                _metrics.EventsDropped.Add(1);
            }
        }

        _metrics.Emitted();
        return ValueTask.CompletedTask;
    }

    public async ValueTask BroadcastAsync(PreparedEvent prepared, CancellationToken cancellationToken)
    {
        foreach (var stream in _streams.Values)
        {
            if (stream.Connections.Length > 0)
            {
                await PublishAsync(stream.UserId, prepared, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public void Attach(AgentBridgeConnection connection)
    {
        _connections[connection.Id] = connection;
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
                break;
            }
        }

        _metrics.OpenConnections.Add(1);
    }

    public void Detach(AgentBridgeConnection connection)
    {
        if (!_connections.TryRemove(new KeyValuePair<string, AgentBridgeConnection>(connection.Id, connection)))
        {
            return;
        }

        if (_streams.TryGetValue(connection.UserId, out var stream))
        {
            lock (stream)
            {
                stream.Connections = Array.FindAll(stream.Connections, c => !ReferenceEquals(c, connection));
                stream.LastActiveTicks = _time.GetTimestamp();
            }
        }

        _metrics.OpenConnections.Add(-1);
    }

    public ValueTask ResumeAsync(AgentBridgeConnection connection, long lastSeq, string? epoch, CancellationToken cancellationToken)
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
            var answer = EventSerializer.Control(writer =>
            {
                writer.WriteString("type", "resumed");
                writer.WriteBoolean("recovered", recovered);
                writer.WriteString("epoch", stream.Epoch);
                writer.WriteNumber("lastSeq", stream.LastSeq);
                writer.WriteNumber("oldestSeq", oldest);
            });
            connection.EnqueueUnbounded(answer);
            if (recovered)
            {
                foreach (var frame in stream.Window)
                {
                    if (frame.Seq > lastSeq && connection.EnqueueUnbounded(frame.Utf8))
                    {
                        replayed++;
                    }
                }
            }
        }

        Log.Resumed(_logger, connection.Id, lastSeq, recovered, replayed);
        return ValueTask.CompletedTask;
    }

    public IReadOnlyCollection<AgentBridgeConnection> LocalConnections => (IReadOnlyCollection<AgentBridgeConnection>)_connections.Values;

    public int GetConnectionCount(string userId) =>
        _streams.TryGetValue(userId, out var stream) ? stream.Connections.Length : 0;

    public void Dispose() => _sweeper.Dispose();

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

    private EventFrame Number(UserStream stream, PreparedEvent prepared)
    {
        var seq = ++stream.LastSeq;
        var now = _time.GetTimestamp();
        stream.LastActiveTicks = now;
        return new EventFrame(seq, EventSerializer.Number(prepared, seq), now);
    }

    private void Fanout(UserStream stream, EventFrame frame)
    {
        foreach (var connection in stream.Connections)
        {
            if (!connection.TryEnqueueEvent(frame))
            {
                _metrics.EventsDropped.Add(1);
            }
        }
    }

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
        public AgentBridgeConnection[] Connections { get; set; } = [];

        public Queue<EventFrame> Window { get; } = new();

        public long OldestSeq => Window.Count > 0 ? Window.Peek().Seq : LastSeq + 1;

        public void Append(EventFrame frame, int capacity)
        {
            Window.Enqueue(frame);
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
