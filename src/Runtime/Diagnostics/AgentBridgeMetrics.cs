using System.Diagnostics.Metrics;

namespace AgentBridge.Diagnostics;

/// <summary>The counters of the <c>AgentBridge</c> meter.</summary>
internal sealed class AgentBridgeMetrics : IDisposable
{
    /// <summary>The meter's name, for <c>dotnet-counters</c> and OpenTelemetry.</summary>
    public const string MeterName = "AgentBridge";

    private readonly Meter _meter;
    private long _emittedTotal;

    public AgentBridgeMetrics(IMeterFactory? meterFactory)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        EventsEmitted = _meter.CreateCounter<long>("agentbridge.events.emitted", "{event}", "Events numbered and stored for a user.");
        EventsDelivered = _meter.CreateCounter<long>("agentbridge.events.delivered", "{event}", "Event frames written to a socket.");
        EventsDropped = _meter.CreateCounter<long>("agentbridge.events.dropped", "{event}", "Event frames not written to a connection: its queue overflowed, or it was gone.");
        OpenConnections = _meter.CreateUpDownCounter<long>("agentbridge.connections.open", "{connection}", "Event sockets open now.");
        LiveSessions = _meter.CreateUpDownCounter<long>("agentbridge.sessions.live", "{session}", "User sessions the agent registry holds now.");
    }

    private Counter<long> EventsEmitted { get; }

    /// <summary>Every event numbered so far; read by the shutdown to know when emission has gone quiet.</summary>
    public long EmittedTotal => Interlocked.Read(ref _emittedTotal);

    public void Emitted()
    {
        Interlocked.Increment(ref _emittedTotal);
        EventsEmitted.Add(1);
    }

    public Counter<long> EventsDelivered { get; }

    public Counter<long> EventsDropped { get; }

    public UpDownCounter<long> OpenConnections { get; }

    public UpDownCounter<long> LiveSessions { get; }

    public void Dispose() => _meter.Dispose();
}
