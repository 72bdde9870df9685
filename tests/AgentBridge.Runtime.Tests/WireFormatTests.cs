using System.Globalization;
using AgentBridge.Runtime.Tests.Infrastructure;

namespace AgentBridge.Runtime.Tests;

public class WireFormatTests
{
    [Fact]
    public async Task Every_event_carries_type_seq_threadId_runId_an_ISO_UTC_timestamp_and_its_data_in_camelCase()
    {
        await using var server = await BridgeServer.StartAsync();
        await using var client = await server.ConnectAsync("alice");
        var context = UserExecutionContext.Create("alice", "thread-9", "run-7");
        var bridge = server.Factory.Create(context);

        await bridge.EmitAgentStartedAsync("triage");
        await bridge.EmitAgentThinkingAsync("triage", "hmm");
        await bridge.EmitToolExecutingAsync("triage", "search", new { QueryText = "refund" });
        await bridge.EmitToolCompletedAsync("triage", "search", new { HitCount = 2 });
        await bridge.EmitAgentCompletedAsync("triage", new { Answer = "ok" });

        var events = await client.EventsAsync(5);
        foreach (var e in events)
        {
            Assert.Equal("thread-9", e.Str("threadId"));
            Assert.Equal("run-7", e.Str("runId"));
            var timestamp = DateTimeOffset.Parse(e.Str("timestamp"), CultureInfo.InvariantCulture);
            Assert.Equal(TimeSpan.Zero, timestamp.Offset);
            Assert.True(Math.Abs((DateTimeOffset.UtcNow - timestamp).TotalMinutes) < 5);
            Assert.Equal("triage", e.Data().Str("agentName"));
        }

        Assert.Equal([1L, 2, 3, 4, 5], events.Select(e => e.Seq()));
        Assert.Equal("hmm", events[1].Data().Str("thought"));
        Assert.Equal("search", events[2].Data().Str("toolName"));
        Assert.Equal("refund", events[2].Data().GetProperty("arguments").Str("queryText"));
        Assert.Equal(2, events[3].Data().GetProperty("result").GetProperty("hitCount").GetInt32());
        Assert.Equal("succeeded", events[4].Data().Str("status"));
        Assert.Equal("ok", events[4].Data().GetProperty("result").Str("answer"));
    }

    [Fact]
    public async Task A_custom_event_keeps_its_type_and_data()
    {
        await using var server = await BridgeServer.StartAsync();
        await using var client = await server.ConnectAsync("alice");
        await server.Factory.Create(server.Context("alice")).EmitAsync(new AgentEvent("citation_found", new { Url = "https://example.com" }));

        var frame = Assert.Single(await client.EventsAsync(1));
        Assert.Equal("citation_found", frame.Type());
        Assert.Equal("https://example.com", frame.Data().Str("url"));
    }

    [Fact]
    public async Task Seq_counts_per_user_independently()
    {
        await using var server = await BridgeServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");
        var a = server.Factory.Create(server.Context("alice"));
        var b = server.Factory.Create(server.Context("bob"));
        await a.EmitAgentStartedAsync("x");
        await a.EmitAgentStartedAsync("x");
        await b.EmitAgentStartedAsync("y");

        Assert.Equal([1L, 2], (await alice.EventsAsync(2)).Select(e => e.Seq()));
        Assert.Equal([1L], (await bob.EventsAsync(1)).Select(e => e.Seq()));
    }

    [Fact]
    public async Task The_low_level_manager_sends_reach_the_right_connections()
    {
        await using var server = await BridgeServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");

#pragma warning disable AGB0001 // The low-level transport is what this test is about.
        await server.Manager.SendToUserAsync("alice", new AgentEvent("to_alice"));
        await server.Manager.BroadcastAsync(new AgentEvent("to_all"));
#pragma warning restore AGB0001

        Assert.Equal(["to_alice", "to_all"], (await alice.EventsAsync(2)).Select(e => e.Type()));
        Assert.Equal(["to_all"], (await bob.EventsAsync(1)).Select(e => e.Type()));
        Assert.Equal(1, server.Manager.GetConnectionCount("alice"));
        Assert.Equal(0, server.Manager.GetConnectionCount("nobody"));
    }
}
