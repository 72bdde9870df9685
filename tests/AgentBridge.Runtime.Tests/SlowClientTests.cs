using System.Diagnostics;
using System.Net.WebSockets;
using AgentBridge.Runtime.Tests.Infrastructure;
using Xunit.Abstractions;

namespace AgentBridge.Runtime.Tests;

public class SlowClientTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_stalled_client_is_closed_with_QueueOverflow_while_another_user_receives_all_10000_events(bool withStalledClient)
    {
        const int Events = 10_000, Batch = 200;
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
        var batchTimes = new List<double>();
        for (var batch = 0; batch < Events / Batch; batch++)
        {
            var clock = Stopwatch.StartNew();
            for (var n = batch * Batch; n < (batch + 1) * Batch; n++)
            {
                if (withStalledClient)
                {
                    await stalledBridge.EmitAsync(new AgentEvent("probe", new { n, padding }));
                }

                await healthyBridge.EmitAsync(Frames.Probe("healthy", n));
            }

            received.AddRange((await healthy.EventsAsync(Batch)).Select(e => e.Seq()));
            batchTimes.Add(clock.Elapsed.TotalMilliseconds);
        }

        Assert.Equal(Enumerable.Range(1, Events).Select(i => (long)i), received);
        batchTimes.Sort();
        output.WriteLine($"stalled client present: {withStalledClient}; emit-to-receive time of a {Batch}-event batch for the healthy user: p50 {batchTimes[batchTimes.Count / 2]:F2} ms, p99 {batchTimes[(int)(batchTimes.Count * 0.99)]:F2} ms, max {batchTimes[^1]:F2} ms");

        if (withStalledClient)
        {
            await ClientMessageTests.WaitUntil(() => server.Manager.GetConnectionCount("stalled") == 0);

            // When the stalled client finally reads, it finds the documented close code after what was in flight.
            stalled.StartReading();
            Assert.Equal((WebSocketCloseStatus)AgentBridgeCloseCodes.QueueOverflow, await stalled.WaitClosedAsync(TimeSpan.FromSeconds(30)));
        }
        else
        {
            Assert.Equal(1, server.Manager.GetConnectionCount("stalled"));
        }
    }

    [Fact]
    public async Task The_byte_bound_of_a_queue_also_closes_a_stalled_client_with_QueueOverflow()
    {
        await using var server = await BridgeServer.StartAsync(o =>
        {
            o.MaxQueuedBytesPerConnection = 256 * 1024;
            o.CloseTimeout = TimeSpan.FromSeconds(30);
        });
        await using var stalled = await server.ConnectAsync("stalled", startReading: false);
        var bridge = server.Factory.Create(server.Context("stalled"));
        var padding = new string('y', 16 * 1024);

        // Far fewer events than the event bound (1,024), far more bytes than the byte bound.
        for (var n = 0; n < 400 && server.Manager.GetConnectionCount("stalled") == 1; n++)
        {
            await bridge.EmitAsync(new AgentEvent("probe", new { n, padding }));
        }

        Assert.Equal(0, server.Manager.GetConnectionCount("stalled"));
        stalled.StartReading();
        Assert.Equal((WebSocketCloseStatus)AgentBridgeCloseCodes.QueueOverflow, await stalled.WaitClosedAsync(TimeSpan.FromSeconds(30)));
    }
}
