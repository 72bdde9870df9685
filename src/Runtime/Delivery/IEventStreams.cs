using AgentBridge.Transport;

namespace AgentBridge.Delivery;

/// <summary>
/// The seam between the emitting side (bridge, manager) and the sockets: it numbers each user's events,
/// keeps the user's replay window, and fans events out to the connections of the user wherever they are.
/// <see cref="InMemoryEventStreams"/> is the single-node default; a scale-out implementation (Redis)
/// plugs in here without any change to the bridge, the factory or the registry.
/// </summary>
internal interface IEventStreams : IDisposable
{
    /// <summary>Numbers the event in the user's stream, keeps it for resume and queues it on every connection of the user.</summary>
    ValueTask PublishAsync(string userId, PreparedEvent prepared, CancellationToken cancellationToken);

    /// <summary>Numbers the event in its user's stream and queues it on one connection only; it is not kept for resume.</summary>
    ValueTask PublishToConnectionAsync(string connectionId, PreparedEvent prepared, CancellationToken cancellationToken);

    /// <summary>Publishes the event to every user that has a connection.</summary>
    ValueTask BroadcastAsync(PreparedEvent prepared, CancellationToken cancellationToken);

    /// <summary>Makes the connection live: from now on it receives its user's events.</summary>
    void Attach(AgentBridgeConnection connection);

    /// <summary>Stops sending events to the connection.</summary>
    void Detach(AgentBridgeConnection connection);

    /// <summary>Answers a resume: queues a <c>resumed</c> message and, when recovered, every event after <paramref name="lastSeq"/>.</summary>
    ValueTask ResumeAsync(AgentBridgeConnection connection, long lastSeq, string? epoch, CancellationToken cancellationToken);

    /// <summary>The connections open on this node.</summary>
    IReadOnlyCollection<AgentBridgeConnection> LocalConnections { get; }

    /// <summary>The number of open connections of the user.</summary>
    int GetConnectionCount(string userId);
}
