using System.Text.Json;
using AgentBridge.Runtime.Tests.Infrastructure;

namespace AgentBridge.Runtime.Tests;

public class ResumeTests
{
    [Fact]
    public async Task Events_emitted_while_the_user_had_no_connection_are_replayed_on_resume()
    {
        await using var server = await BridgeServer.StartAsync();
        var bridge = server.Factory.Create(server.Context("alice"));
        for (var n = 0; n < 10; n++)
        {
            await bridge.EmitAsync(Frames.Probe("alice", n));
        }

        await using var client = await server.ConnectAsync("alice");
        await client.SendTextAsync("""{"type":"resume","lastSeq":0}""");

        var resumed = await client.NextOfTypeAsync("resumed");
        Assert.True(resumed.GetProperty("recovered").GetBoolean());
        Assert.Equal(10, resumed.GetProperty("lastSeq").GetInt64());
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), (await client.EventsAsync(10)).Select(e => e.Seq()));
    }

    [Fact]
    public async Task A_client_that_drops_mid_run_and_resumes_gets_every_event_exactly_once_in_order()
    {
        const int Total = 500;
        await using var server = await BridgeServer.StartAsync();
        var bridge = server.Factory.Create(server.Context("alice"));
        var first = await server.ConnectAsync("alice");
        var applied = new List<long>();
        var emitter = Task.Run(async () =>
        {
            for (var n = 0; n < Total; n++)
            {
                await bridge.EmitAsync(Frames.Probe("alice", n));
                if (n % 50 == 0)
                {
                    await Task.Delay(5);
                }
            }
        });

        // Take some events, then lose the network without a close frame.
        foreach (var e in await first.EventsAsync(120))
        {
            applied.Add(e.Seq());
        }

        first.Abort();
        await first.DisposeAsync();

        await using var second = await server.ConnectAsync("alice");
        await second.SendTextAsync(JsonSerializer.Serialize(new { type = "resume", lastSeq = applied[^1] }));
        await emitter;

        // The client algorithm of docs/protocol.md: ignore events until "resumed", then apply each seq above the last applied.
        var resumed = false;
        while (applied[^1] < Total)
        {
            var frame = await second.NextAsync();
            if (frame.Type() == "resumed")
            {
                Assert.True(frame.GetProperty("recovered").GetBoolean());
                resumed = true;
                continue;
            }

            if (resumed && frame.TryGetProperty("seq", out var seq) && seq.GetInt64() > applied[^1])
            {
                applied.Add(seq.GetInt64());
            }
        }

        Assert.Equal(Enumerable.Range(1, Total).Select(i => (long)i), applied);
    }

    [Fact]
    public async Task A_resume_from_before_the_window_is_answered_not_recovered_with_the_oldest_seq()
    {
        await using var server = await BridgeServer.StartAsync(o => o.ReplayWindowSize = 5);
        var bridge = server.Factory.Create(server.Context("alice"));
        for (var n = 0; n < 12; n++)
        {
            await bridge.EmitAsync(Frames.Probe("alice", n));
        }

        await using var client = await server.ConnectAsync("alice");
        await client.SendTextAsync("""{"type":"resume","lastSeq":3}""");
        var resumed = await client.NextOfTypeAsync("resumed");
        Assert.False(resumed.GetProperty("recovered").GetBoolean());
        Assert.Equal(8, resumed.GetProperty("oldestSeq").GetInt64());
        Assert.Equal(12, resumed.GetProperty("lastSeq").GetInt64());
        Assert.Empty(await client.DrainWithPingAsync());

        // Resuming from just before the oldest kept event recovers the whole window.
        await client.SendTextAsync("""{"type":"resume","lastSeq":7}""");
        var again = await client.NextOfTypeAsync("resumed");
        Assert.True(again.GetProperty("recovered").GetBoolean());
        Assert.Equal([8L, 9, 10, 11, 12], (await client.EventsAsync(5)).Select(e => e.Seq()));
    }

    [Fact]
    public async Task A_resume_naming_another_epoch_or_a_seq_from_the_future_is_not_recovered()
    {
        await using var server = await BridgeServer.StartAsync();
        await server.Factory.Create(server.Context("alice")).EmitAgentStartedAsync("a");
        await using var client = await server.ConnectAsync("alice");

        await client.SendTextAsync("""{"type":"resume","lastSeq":0,"epoch":"some-other-epoch"}""");
        Assert.False((await client.NextOfTypeAsync("resumed")).GetProperty("recovered").GetBoolean());
        await client.SendTextAsync("""{"type":"resume","lastSeq":99}""");
        Assert.False((await client.NextOfTypeAsync("resumed")).GetProperty("recovered").GetBoolean());
    }
}
