using AgentBridge.Runtime.Tests.Infrastructure;

namespace AgentBridge.Runtime.Tests;

public class ToolCallIdAndMessageTests
{
    [Fact]
    public async Task Parallel_calls_of_one_tool_pair_up_by_toolCallId_whatever_order_they_finish_in()
    {
        await using var server = await BridgeServer.StartAsync();
        await using var client = await server.ConnectAsync("alice");
        var bridge = server.Factory.Create(server.Context("alice"));

        await using (var run = await bridge.BeginRunAsync("triage"))
        {
            var oslo = run.ToolExecutingAsync("weather", new { city = "Oslo" });
            var lima = run.ToolExecutingAsync("weather", new { city = "Lima" });
            var ids = await Task.WhenAll(oslo, lima);
            await Task.WhenAll(
                run.ToolCompletedAsync("weather", new { city = "Lima", sky = "clear" }, ids[1]),
                run.ToolCompletedAsync("weather", new { city = "Oslo", sky = "snow" }, ids[0]));
            run.Complete();
        }

        var events = await client.EventsAsync(6);
        var calls = events.Where(e => e.Type() == "tool_executing").ToDictionary(e => e.Data().Str("toolCallId"), e => e.Data().GetProperty("arguments").Str("city"));
        var results = events.Where(e => e.Type() == "tool_completed").ToDictionary(e => e.Data().Str("toolCallId"), e => e.Data().GetProperty("result").Str("city"));
        Assert.Equal(2, calls.Count);
        Assert.All(calls.Keys, id => Assert.False(string.IsNullOrWhiteSpace(id)));
        Assert.Equal(calls.OrderBy(c => c.Key), results.OrderBy(r => r.Key));
    }

    [Fact]
    public async Task A_given_call_id_is_kept_and_a_completion_without_an_id_closes_the_oldest_open_call_of_its_tool()
    {
        await using var server = await BridgeServer.StartAsync();
        await using var client = await server.ConnectAsync("alice");
        var bridge = server.Factory.Create(server.Context("alice"));

        await using (var run = await bridge.BeginRunAsync("triage"))
        {
            Assert.Equal("call_model_7", await run.ToolExecutingAsync("search", new { q = "first" }, "call_model_7"));
            var second = await run.ToolExecutingAsync("search", new { q = "second" });
            await run.ToolCompletedAsync("search", new { hits = 1 });
            await run.ToolCompletedAsync("search", new { hits = 2 });
            Assert.NotEqual("call_model_7", second);
            run.Complete();
        }

        var events = await client.EventsAsync(6);
        var executing = events.Where(e => e.Type() == "tool_executing").Select(e => e.Data().Str("toolCallId")).ToList();
        var completed = events.Where(e => e.Type() == "tool_completed").Select(e => e.Data().Str("toolCallId")).ToList();
        Assert.Equal("call_model_7", executing[0]);
        Assert.Equal(executing, completed);
    }

    [Fact]
    public async Task The_bridge_overloads_without_a_call_id_leave_toolCallId_out_of_the_frame()
    {
        await using var server = await BridgeServer.StartAsync();
        await using var client = await server.ConnectAsync("alice");
        var bridge = server.Factory.Create(server.Context("alice"));

        await bridge.EmitToolExecutingAsync("triage", "search", new { q = "x" });
        await bridge.EmitToolCompletedAsync("triage", "search", new { hits = 0 });
        await bridge.EmitToolExecutingAsync("triage", "search", new { q = "y" }, "call-9");

        var events = await client.EventsAsync(3);
        Assert.False(events[0].Data().TryGetProperty("toolCallId", out _));
        Assert.False(events[1].Data().TryGetProperty("toolCallId", out _));
        Assert.Equal("call-9", events[2].Data().Str("toolCallId"));
    }

    [Fact]
    public async Task Answer_text_streams_as_agent_message_deltas_of_one_message_id()
    {
        await using var server = await BridgeServer.StartAsync();
        await using var client = await server.ConnectAsync("alice");
        var bridge = server.Factory.Create(server.Context("alice"));
        string messageId;

        await using (var run = await bridge.BeginRunAsync("writer"))
        {
            messageId = run.MessageId;
            await run.MessageAsync("Hel");
            await run.MessageAsync("lo");
            await run.MessageAsync("P.S.", "msg-appendix");
            run.Complete();
        }

        var events = await client.EventsAsync(5);
        var messages = events.Where(e => e.Type() == AgentEventTypes.AgentMessage).Select(e => e.Data()).ToList();
        Assert.Equal(3, messages.Count);
        Assert.All(messages, m => Assert.Equal("writer", m.Str("agentName")));
        Assert.Equal([messageId, messageId, "msg-appendix"], messages.Select(m => m.Str("messageId")));
        Assert.Equal("Hello", string.Concat(messages.Take(2).Select(m => m.Str("delta"))));
        Assert.Equal(["agentName", "messageId", "delta"], messages[0].EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task An_agent_message_without_a_message_id_or_delta_is_refused_and_nothing_is_sent()
    {
        await using var server = await BridgeServer.StartAsync();
        await using var client = await server.ConnectAsync("alice");
        var bridge = server.Factory.Create(server.Context("alice"));

        await Assert.ThrowsAsync<ArgumentException>(() => bridge.EmitAgentMessageAsync("writer", " ", "text"));
        await Assert.ThrowsAsync<ArgumentNullException>(() => bridge.EmitAgentMessageAsync("writer", "m1", null!));
        await bridge.EmitAgentMessageAsync("writer", "m1", string.Empty);

        var events = await client.EventsAsync(1);
        Assert.Equal(string.Empty, events[0].Data().Str("delta"));
        Assert.Empty(await client.DrainWithPingAsync());
    }

    [Fact]
    public async Task Each_user_sees_only_the_calls_and_messages_of_their_own_runs()
    {
        await using var server = await BridgeServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");

        await Task.WhenAll(RunAsync("alice"), RunAsync("bob"));

        foreach (var (client, user, other) in new[] { (alice, "alice", "bob"), (bob, "bob", "alice") })
        {
            var events = await client.EventsAsync(5);
            Assert.Equal(["agent_started", "tool_executing", "agent_message", "tool_completed", "agent_completed"], events.Select(e => e.Type()));
            Assert.All(events, e => Assert.DoesNotContain(other, e.GetRawText(), StringComparison.Ordinal));
            Assert.Equal("for " + user, events[2].Data().Str("delta"));
            Assert.Empty(await client.DrainWithPingAsync());
        }

        async Task RunAsync(string user)
        {
            await using var run = await server.Factory.Create(server.Context(user, "thread-" + user)).BeginRunAsync("agent-" + user);
            var id = await run.ToolExecutingAsync("lookup", new { user });
            await run.MessageAsync("for " + user);
            await run.ToolCompletedAsync("lookup", new { user }, id);
            run.Complete();
        }
    }
}
