using AgentBridge.Runtime.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace AgentBridge.Runtime.Tests;

public class ConcurrencyTests
{
    [Fact]
    public async Task A_hundred_concurrent_emitters_to_one_user_never_overlap_a_send_and_every_connection_sees_the_same_order()
    {
        const int Emitters = 100, EventsEach = 20, Total = Emitters * EventsEach;
        // The whole burst is emitted before anything is read, so the queue must hold it.
        await using var server = await BridgeServer.StartAsync(o => o.MaxQueuedEventsPerConnection = Total);
        var connections = await server.ConnectManyAsync("alice", 3);
        try
        {
            using var start = new ManualResetEventSlim();
            var emitters = Enumerable.Range(0, Emitters).Select(e => Task.Run(async () =>
            {
                var bridge = server.Factory.Create(server.Context("alice", $"thread-{e}"));
                start.Wait();
                for (var n = 0; n < EventsEach; n++)
                {
                    await bridge.EmitAsync(new AgentEvent("probe", new { emitter = e, n }));
                }
            })).ToArray();
            start.Set();
            await Task.WhenAll(emitters);

            var orders = new List<List<string>>();
            foreach (var connection in connections)
            {
                var events = await connection.EventsAsync(Total);
                Assert.Equal(Enumerable.Range(1, Total).Select(i => (long)i), events.Select(e => e.Seq()));
                orders.Add(events.Select(e => e.Data().GetRawText()).ToList());

                // Each emitter's own events keep the order it emitted them in.
                foreach (var group in events.GroupBy(e => e.Data().GetProperty("emitter").GetInt32()))
                {
                    Assert.Equal(Enumerable.Range(0, EventsEach), group.Select(e => e.Data().GetProperty("n").GetInt32()));
                }

                Assert.Null(connection.CloseStatus);
            }

            Assert.Equal(orders[0], orders[1]);
            Assert.Equal(orders[0], orders[2]);

            // A second send overlapping the first throws inside the socket; the runtime would log it as a transport error.
            Assert.DoesNotContain(server.Logs.Entries, e => e.Category.StartsWith("AgentBridge", StringComparison.Ordinal) && (e.Level >= LogLevel.Warning || e.EventId.Id == 6));
        }
        finally
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Connections_of_one_user_opened_and_closed_during_emission_never_disturb_the_others()
    {
        await using var server = await BridgeServer.StartAsync();
        await using var steady = await server.ConnectAsync("alice");
        var bridge = server.Factory.Create(server.Context("alice"));
        var churn = Task.Run(async () =>
        {
            for (var i = 0; i < 20; i++)
            {
                await using var transient = await server.ConnectAsync("alice");
            }
        });
        for (var n = 0; n < 500; n++)
        {
            await bridge.EmitAsync(Frames.Probe("alice", n));
        }

        await churn;
        var events = await steady.EventsAsync(500);
        Assert.Equal(Enumerable.Range(1, 500).Select(i => (long)i), events.Select(e => e.Seq()));
    }
}
