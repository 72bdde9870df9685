using AgentBridge.Runtime.Tests.Infrastructure;
using Microsoft.Extensions.AI;

namespace AgentBridge.Extensions.AI.Tests;

public class WithAgentBridgeTests
{
    [Theory]
    [InlineData(Pipeline.ChatClient)]
    [InlineData(Pipeline.Agent)]
    public async Task Parallel_tool_calls_pair_by_their_call_ids_and_the_answer_streams_as_agent_message(Pipeline pipeline)
    {
        await using var server = await BridgeServer.StartAsync();
        await using var socket = await server.ConnectAsync("alice");
        var weather = Pipelines.Weather(together: new Rendezvous(2));
        var model = new ScriptedChatClient(turn => turn.Number == 0
            ? Say.Stream(
                Say.Reasoning("Two cities, one call each."),
                Say.Calls(new FunctionCallContent("call_oslo", "weather", Args("city", "Oslo")), new FunctionCallContent("call_lima", "weather", Args("city", "Lima"))))
            : Say.Stream(Say.Text("Oslo has snow, "), Say.Text("Lima has sun.")));

        var updates = await Pipelines.RunAsync(pipeline, model, [weather], "Weather in Oslo and Lima?", server.Factory.Create(server.Context("alice")));

        Assert.True(updates >= 4);
        var frames = await socket.EventsAsync(9);
        Assert.Equal(
            ["agent_started", "agent_thinking", "tool_executing", "tool_executing", "tool_completed", "tool_completed", "agent_message", "agent_message", "agent_completed"],
            frames.Select(f => f.Type()));
        var cityOfCall = frames.Where(f => f.Type() == "tool_executing").ToDictionary(f => f.Data().Str("toolCallId"), f => f.Data().GetProperty("arguments").Str("city"));
        Assert.Equal(new Dictionary<string, string> { ["call_oslo"] = "Oslo", ["call_lima"] = "Lima" }, cityOfCall);
        Assert.All(frames.Where(f => f.Type() == "tool_completed"), f =>
        {
            Assert.Equal("weather", f.Data().Str("toolName"));
            Assert.StartsWith(cityOfCall[f.Data().Str("toolCallId")] + ":", f.Data().GetProperty("result").GetString(), StringComparison.Ordinal);
        });
        var messages = frames.Where(f => f.Type() == "agent_message").Select(f => f.Data()).ToList();
        Assert.Single(messages.Select(m => m.Str("messageId")).Distinct());
        var completed = frames[^1].Data();
        Assert.Equal(("succeeded", "Oslo has snow, Lima has sun."), (completed.Str("status"), completed.Str("result")));
        Assert.Empty(await socket.DrainWithPingAsync());
    }

    [Theory]
    [InlineData(Pipeline.ChatClient)]
    [InlineData(Pipeline.Agent)]
    public async Task A_tool_that_throws_completes_with_an_error_result_and_the_run_goes_on(Pipeline pipeline)
    {
        await using var server = await BridgeServer.StartAsync();
        await using var socket = await server.ConnectAsync("alice");
        var explode = AIFunctionFactory.Create(string () => throw new InvalidOperationException("secret detail 42"), "explode");
        var model = new ScriptedChatClient(turn => turn.Number == 0
            ? Say.Stream(Say.Call("call_x", "explode"))
            : Say.Stream(Say.Text("That tool failed; sorry.")));

        await Pipelines.RunAsync(pipeline, model, [explode], "Blow it up.", server.Factory.Create(server.Context("alice")));

        var frames = await socket.EventsAsync(5);
        Assert.Equal(["agent_started", "tool_executing", "tool_completed", "agent_message", "agent_completed"], frames.Select(f => f.Type()));
        var result = frames[2].Data();
        Assert.Equal(("explode", "call_x"), (result.Str("toolName"), result.Str("toolCallId")));
        Assert.False(string.IsNullOrWhiteSpace(result.GetProperty("result").Str("error")));
        Assert.Equal("succeeded", frames[4].Data().Str("status"));
        Assert.All(frames, f => Assert.DoesNotContain("secret detail 42", f.GetRawText(), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(Pipeline.ChatClient)]
    [InlineData(Pipeline.Agent)]
    public async Task Reasoning_streams_as_agent_thinking_before_the_answer(Pipeline pipeline)
    {
        await using var server = await BridgeServer.StartAsync();
        await using var socket = await server.ConnectAsync("alice");
        var model = new ScriptedChatClient(_ => Say.Stream(Say.Reasoning("Six times "), Say.Reasoning("seven."), Say.Text("42")));

        await Pipelines.RunAsync(pipeline, model, [], "6 x 7?", server.Factory.Create(server.Context("alice")));

        var frames = await socket.EventsAsync(5);
        Assert.Equal(["agent_started", "agent_thinking", "agent_thinking", "agent_message", "agent_completed"], frames.Select(f => f.Type()));
        Assert.Equal(["Six times ", "seven."], frames.Skip(1).Take(2).Select(f => f.Data().Str("thought")));
        Assert.Equal(Pipelines.AgentName, frames[1].Data().Str("agentName"));
        Assert.Equal("42", frames[4].Data().Str("result"));
    }

    [Theory]
    [InlineData(Pipeline.ChatClient)]
    [InlineData(Pipeline.Agent)]
    public async Task Cancelling_mid_stream_ends_the_run_with_one_agent_completed_cancelled(Pipeline pipeline)
    {
        await using var server = await BridgeServer.StartAsync();
        await using var socket = await server.ConnectAsync("alice");
        var model = new ScriptedChatClient(turn => Hang(turn.CancellationToken));
        using var cts = new CancellationTokenSource();

        var running = Pipelines.RunAsync(pipeline, model, [], "Take your time.", server.Factory.Create(server.Context("alice")), cts.Token);
        var first = await socket.EventsAsync(2);
        Assert.Equal(["agent_started", "agent_message"], first.Select(f => f.Type()));
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        var completed = Assert.Single(await socket.EventsAsync(1));
        Assert.Equal(("agent_completed", "cancelled"), (completed.Type(), completed.Data().Str("status")));
        Assert.Empty(await socket.DrainWithPingAsync());

        static async IAsyncEnumerable<ChatResponseUpdate> Hang([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
        {
            yield return Say.Text("Working on it");
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
    }

    [Theory]
    [InlineData(Pipeline.ChatClient)]
    [InlineData(Pipeline.Agent)]
    public async Task A_model_call_that_fails_ends_the_run_failed_and_the_exception_reaches_the_caller(Pipeline pipeline)
    {
        await using var server = await BridgeServer.StartAsync();
        await using var socket = await server.ConnectAsync("alice");
        var weather = Pipelines.Weather();
        var model = new ScriptedChatClient(turn => turn.Number == 0 ? Say.Stream(Say.Call("call_1", "weather", Args("city", "Oslo"))) : Unavailable());

        var thrown = await Assert.ThrowsAsync<HttpRequestException>(() =>
            Pipelines.RunAsync(pipeline, model, [weather], "Weather?", server.Factory.Create(server.Context("alice"))));

        Assert.Equal("model endpoint returned 503 (key sk-secret)", thrown.Message);
        var frames = await socket.EventsAsync(4);
        Assert.Equal(["agent_started", "tool_executing", "tool_completed", "agent_completed"], frames.Select(f => f.Type()));
        Assert.Equal(("failed", "The agent run failed."), (frames[3].Data().Str("status"), frames[3].Data().Str("error")));
        Assert.All(frames, f => Assert.DoesNotContain("sk-secret", f.GetRawText(), StringComparison.Ordinal));
        Assert.Empty(await socket.DrainWithPingAsync());

        static async IAsyncEnumerable<ChatResponseUpdate> Unavailable()
        {
            await Task.Yield();
            throw new HttpRequestException("model endpoint returned 503 (key sk-secret)");
#pragma warning disable CS0162 // An iterator needs a yield.
            yield break;
#pragma warning restore CS0162
        }
    }

    [Theory]
    [InlineData(Pipeline.ChatClient)]
    [InlineData(Pipeline.Agent)]
    public async Task Two_users_runs_at_once_each_reach_only_their_own_user(Pipeline pipeline)
    {
        await using var server = await BridgeServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");
        var weather = Pipelines.Weather(together: new Rendezvous(2));
        var model = new ScriptedChatClient(turn => turn.Number == 0
            ? Say.Stream(Say.Call("call_" + turn.Question, "weather", Args("city", turn.Question)))
            : Say.Stream(Say.Text("Weather for "), Say.Text(turn.Question)));
        var aliceContext = server.Context("alice", "thread-a");
        var bobContext = server.Context("bob", "thread-b");

        await Task.WhenAll(
            Pipelines.RunAsync(pipeline, model, [weather], "Oslo", server.Factory.Create(aliceContext)),
            Pipelines.RunAsync(pipeline, model, [weather], "Lima", server.Factory.Create(bobContext)));

        foreach (var (socket, context, city, other) in new[] { (alice, aliceContext, "Oslo", "Lima"), (bob, bobContext, "Lima", "Oslo") })
        {
            var frames = await socket.EventsAsync(6);
            Assert.Equal(["agent_started", "tool_executing", "tool_completed", "agent_message", "agent_message", "agent_completed"], frames.Select(f => f.Type()));
            Assert.All(frames, f => Assert.Equal(context.RunId, f.Str("runId")));
            Assert.All(frames, f => Assert.DoesNotContain(other, f.GetRawText(), StringComparison.Ordinal));
            Assert.Equal("Weather for " + city, frames[^1].Data().Str("result"));
            Assert.Empty(await socket.DrainWithPingAsync());
        }
    }

    [Fact]
    public async Task Every_update_passes_through_unchanged_and_in_order()
    {
        await using var server = await BridgeServer.StartAsync();
        ChatResponseUpdate[] source = [Say.Reasoning("hm"), Say.Call("c1", "tool"), new(ChatRole.Tool, [new FunctionResultContent("c1", "ok")]), Say.Text("done"), new(ChatRole.Assistant, [new UsageContent()])];

        var seen = new List<ChatResponseUpdate>();
        await foreach (var update in Say.Stream(source).WithAgentBridge(server.Factory.Create(server.Context("alice")), "agent"))
        {
            seen.Add(update);
        }

        Assert.Equal(source.Length, seen.Count);
        Assert.All(source.Zip(seen), pair => Assert.Same(pair.First, pair.Second));
    }

    [Fact]
    public async Task A_consumer_that_stops_reading_early_ends_the_run_cancelled()
    {
        await using var server = await BridgeServer.StartAsync();
        await using var socket = await server.ConnectAsync("alice");

        await foreach (var _ in Say.Stream(Say.Text("one"), Say.Text("two")).WithAgentBridge(server.Factory.Create(server.Context("alice")), "agent"))
        {
            break;
        }

        var frames = await socket.EventsAsync(3);
        Assert.Equal(["agent_started", "agent_message", "agent_completed"], frames.Select(f => f.Type()));
        Assert.Equal("cancelled", frames[2].Data().Str("status"));
        Assert.Empty(await socket.DrainWithPingAsync());
    }

    [Fact]
    public async Task A_bridge_without_a_user_context_refuses_before_the_model_is_called()
    {
        await using var server = await BridgeServer.StartAsync();
        var model = new ScriptedChatClient(_ => Say.Stream(Say.Text("never")));
        var contextless = new AgentWebSocketBridge(server.Manager);

        await Assert.ThrowsAsync<InvalidOperationException>(() => Pipelines.RunAsync(Pipeline.ChatClient, model, [], "hi", contextless));

        Assert.Equal(0, model.Calls);
    }

    [Fact]
    public void Arguments_are_checked_when_called_not_when_enumerated()
    {
        var updates = Say.Stream(Say.Text("x"));
        var bridge = new AgentWebSocketBridge(new WebSocketConnectionManager(), UserExecutionContext.Create("alice", "t"));

        Assert.Throws<ArgumentNullException>(() => updates.WithAgentBridge(null!, "agent"));
        Assert.Throws<ArgumentException>(() => updates.WithAgentBridge(bridge, " "));
    }

    private static Dictionary<string, object?> Args(string name, object? value) => new() { [name] = value };
}
