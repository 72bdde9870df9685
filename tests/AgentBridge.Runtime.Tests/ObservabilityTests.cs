using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using AgentBridge.Runtime.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentBridge.Runtime.Tests;

public class ObservabilityTests
{
    [Fact]
    public async Task The_AgentBridge_meter_counts_emitted_delivered_dropped_events_and_open_connections()
    {
        await using var server = await BridgeServer.StartAsync();
        var scope = server.Services.GetRequiredService<IMeterFactory>();
        var totals = new ConcurrentDictionary<string, long>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                // Only this server's meter: other tests run servers of their own at the same time.
                if (instrument.Meter.Name == "AgentBridge" && ReferenceEquals(instrument.Meter.Scope, scope))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => totals.AddOrUpdate(instrument.Name, value, (_, total) => total + value));
        listener.Start();

        var tabs = await server.ConnectManyAsync("alice", 2);
        var bridge = server.Factory.Create(server.Context("alice"));
        for (var n = 0; n < 5; n++)
        {
            await bridge.EmitAgentThinkingAsync("a", $"thought {n}");
        }

        foreach (var tab in tabs)
        {
            await tab.EventsAsync(5);
        }

#pragma warning disable AGB0001 // A send to a connection that is gone is what is counted as dropped here.
        await server.Manager.SendToConnectionAsync("no-such-connection", new AgentEvent("x"));
#pragma warning restore AGB0001

        Assert.Equal(2, totals.GetValueOrDefault("agentbridge.connections.open"));
        Assert.Equal(5, totals.GetValueOrDefault("agentbridge.events.emitted"));
        await ClientMessageTests.WaitUntil(() => totals.GetValueOrDefault("agentbridge.events.delivered") == 10);
        Assert.Equal(1, totals.GetValueOrDefault("agentbridge.events.dropped"));

        foreach (var tab in tabs)
        {
            await tab.DisposeAsync();
        }

        await ClientMessageTests.WaitUntil(() => totals.GetValueOrDefault("agentbridge.connections.open") == 0);
    }

    [Fact]
    public async Task Connections_and_refusals_are_logged_with_event_ids_and_without_user_ids()
    {
        await using var server = await BridgeServer.StartAsync();
        await using (var client = await server.ConnectAsync("alice-distinctive"))
        {
            await client.SendTextAsync("{oops");
            await client.NextOfTypeAsync("error");
        }

        await EventClient.GetUpgradeStatusAsync(server.WebSocketUri, _ => { });
        await ClientMessageTests.WaitUntil(() => server.Logs.Entries.Any(e => e.EventId.Id == 2 && e.Category.StartsWith("AgentBridge", StringComparison.Ordinal)));

        var ours = server.Logs.Entries.Where(e => e.Category.StartsWith("AgentBridge", StringComparison.Ordinal)).ToList();
        Assert.Contains(ours, e => e.EventId.Id == 1 && e.Level == LogLevel.Debug);
        Assert.Contains(ours, e => e.EventId.Id == 4 && e.Message.Contains("401", StringComparison.Ordinal));
        Assert.Contains(ours, e => e.EventId.Id == 5 && e.Message.Contains("invalid_json", StringComparison.Ordinal));
        Assert.DoesNotContain(ours, e => e.Message.Contains("alice-distinctive", StringComparison.Ordinal));
    }
}
