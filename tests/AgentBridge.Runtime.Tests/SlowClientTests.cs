using System.Net.WebSockets;
using AgentBridge.Runtime.Tests.Infrastructure;

namespace AgentBridge.Runtime.Tests;

public class SlowClientTests
{
    [Fact]
    public async Task A_stalled_client_is_closed_with_QueueOverflow_while_another_user_receives_everything()
    {
        const int Events = 10_000;
        await using var server = await BridgeServer.StartAsync(o =>
        {
            o.MaxQueuedEventsPerConnection = 256;
            o.CloseTimeout = TimeSpan.FromSeconds(30);
        });

        // Never reads until the end: the kernel buffers fill, then its queue.
        await using var stalled = await server.ConnectAsync("stalled", startReading: false);
        await using var healthy = await server.ConnectAsync("healthy");
        var stalledBridge = server.Factory.Create(server.Context("stalled"));
        var healthyBridge = server.Factory.Create(server.Context("healthy"));
        var padding = new string('x', 2048);

        // The healthy user is paced by its own reading (a closed loop, as a real agent is by its model);
        // the stalled one is not paced at all.
        var received = new List<long>();
        for (var batch = 0; batch < Events / 200; batch++)
        {
            for (var n = batch * 200; n < (batch + 1) * 200; n++)
            {
                await stalledBridge.EmitAsync(new AgentEvent("probe", new { n, padding }));
                await healthyBridge.EmitAsync(Frames.Probe("healthy", n));
            }

            received.AddRange((await healthy.EventsAsync(200)).Select(e => e.Seq()));
        }

        Assert.Equal(Enumerable.Range(1, Events).Select(i => (long)i), received);
        await ClientMessageTests.WaitUntil(() => server.Manager.GetConnectionCount("stalled") == 0);

        // When the stalled client finally reads, it finds the documented close code after what was in flight.
        stalled.StartReading();
        Assert.Equal((WebSocketCloseStatus)AgentBridgeCloseCodes.QueueOverflow, await stalled.WaitClosedAsync(TimeSpan.FromSeconds(30)));
    }
}
