using System.Net;
using System.Text;
using AgentBridge.AgUi;
using AgentBridge.Runtime.Tests.Infrastructure;
using Microsoft.Agents.AI;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.AI;

namespace AgentBridge.Extensions.AI.Tests;

public class AgUiAgentTests
{
    private const string Path = "/ag-ui";

    [Fact]
    public async Task An_agent_served_over_AG_UI_streams_valid_events_and_the_same_run_reaches_the_users_socket()
    {
        var weather = Pipelines.Weather();
        var model = new ScriptedChatClient(turn => turn.Number == 0
            ? Say.Stream(
                Say.Reasoning("Two lookups."),
                Say.Calls(new FunctionCallContent("call_1", "weather", new Dictionary<string, object?> { ["city"] = "Oslo" }), new FunctionCallContent("call_2", "weather", new Dictionary<string, object?> { ["city"] = "Bergen" })))
            : Say.Stream(Say.Text("Snow in "), Say.Text("both.")));
        await using var server = await StartAsync(Pipelines.Agent(model, weather));
        await using var socket = await server.ConnectAsync("alice");
        using var client = new AgUiClient(server.HttpBase, await server.SignInAsync("alice"));

        var response = await client.RunAsync(Path, AgUiClient.Input("thread-1", "run-1", "Oslo and Bergen?"));

        AgUiVerifier.Verify(response.Events);
        Assert.Equal(
            ["RUN_STARTED", "REASONING_START", "REASONING_MESSAGE_START", "REASONING_MESSAGE_CONTENT", "REASONING_MESSAGE_END", "REASONING_END",
             "TOOL_CALL_START", "TOOL_CALL_ARGS", "TOOL_CALL_END", "TOOL_CALL_START", "TOOL_CALL_ARGS", "TOOL_CALL_END", "TOOL_CALL_RESULT", "TOOL_CALL_RESULT",
             "TEXT_MESSAGE_START", "TEXT_MESSAGE_CONTENT", "TEXT_MESSAGE_CONTENT", "TEXT_MESSAGE_END", "RUN_FINISHED"],
            response.Types);
        Assert.Equal(["call_1", "call_2"], response.OfType("TOOL_CALL_RESULT").Select(r => r.Str("toolCallId")));
        Assert.Equal(["Oslo: fine", "Bergen: fine"], response.OfType("TOOL_CALL_RESULT").Select(r => r.Str("content")));
        Assert.Equal("Snow in both.", response.Events[^1].Str("result"));

        var frames = await socket.EventsAsync(9);
        Assert.Equal(AgentEventTypes.AgentStarted, frames[0].Type());
        Assert.Equal(AgentEventTypes.AgentCompleted, frames[^1].Type());
        Assert.All(frames, f => Assert.Equal(("thread-1", "run-1"), (f.Str("threadId"), f.Str("runId"))));
        Assert.Equal(Pipelines.AgentName, frames[0].Data().Str("agentName"));
    }

    [Fact]
    public async Task The_conversation_and_the_run_options_of_the_request_reach_the_model()
    {
        var model = new ScriptedChatClient(_ => Say.Stream(Say.Text("ok")));
        await using var server = await BridgeServer.StartAsync(map: app => app.MapAgentBridgeAgUi(
            Path,
            Pipelines.Agent(model),
            run => new ChatClientAgentRunOptions(new ChatOptions { AdditionalProperties = new() { ["tone"] = run.Input.ForwardedProps?.GetProperty("tone").GetString() } })));
        using var client = new AgUiClient(server.HttpBase, await server.SignInAsync("alice"));
        var input = new
        {
            threadId = "t",
            runId = "r",
            messages = new object[]
            {
                new { id = "s1", role = "system", content = "Be brief." },
                new { id = "u1", role = "user", content = new object[] { new { type = "text", text = "Weather " }, new { type = "text", text = "in Oslo?" } } },
                new { id = "a1", role = "assistant", toolCalls = new[] { new { id = "call_9", type = "function", function = new { name = "weather", arguments = """{"city":"Oslo"}""" } } } },
                new { id = "t1", role = "tool", toolCallId = "call_9", content = "snow" },
                new { id = "r1", role = "reasoning", content = "display only" },
                new { id = "u2", role = "user", content = "And tomorrow?" },
            },
            forwardedProps = new { tone = "dry" },
        };

        var response = await client.RunAsync(Path, input);

        AgUiVerifier.Verify(response.Events);
        var turn = Assert.Single(model.Turns);
        var conversation = turn.Messages.Where(m => m.Role != ChatRole.System || m.Text == "Be brief.").ToList();
        Assert.Equal([ChatRole.System, ChatRole.User, ChatRole.Assistant, ChatRole.Tool, ChatRole.User], conversation.Select(m => m.Role));
        Assert.Equal("Weather in Oslo?", conversation[1].Text);
        var call = Assert.IsType<FunctionCallContent>(Assert.Single(conversation[2].Contents));
        Assert.Equal(("call_9", "weather", "Oslo"), (call.CallId, call.Name, call.Arguments!["city"]!.ToString()));
        var result = Assert.IsType<FunctionResultContent>(Assert.Single(conversation[3].Contents));
        Assert.Equal(("call_9", "snow"), (result.CallId, result.Result?.ToString()));
        Assert.Equal("dry", turn.Options?.AdditionalProperties?["tone"]);
    }

    [Fact]
    public async Task Two_users_runs_at_once_over_AG_UI_each_reach_only_their_own_stream_and_sockets()
    {
        var weather = Pipelines.Weather(together: new Rendezvous(2));
        var model = new ScriptedChatClient(turn => turn.Number == 0
            ? Say.Stream(Say.Call("call_" + turn.Question, "weather", new Dictionary<string, object?> { ["city"] = turn.Question }))
            : Say.Stream(Say.Text("Weather for " + turn.Question)));
        await using var server = await StartAsync(Pipelines.Agent(model, weather));
        await using var aliceSocket = await server.ConnectAsync("alice");
        await using var bobSocket = await server.ConnectAsync("bob");
        using var alice = new AgUiClient(server.HttpBase, await server.SignInAsync("alice"));
        using var bob = new AgUiClient(server.HttpBase, await server.SignInAsync("bob"));

        var responses = await Task.WhenAll(
            alice.RunAsync(Path, AgUiClient.Input("shared-thread", "run-a", "Oslo")),
            bob.RunAsync(Path, AgUiClient.Input("shared-thread", "run-b", "Lima")));

        foreach (var (response, socket, city, other, runId) in new[] { (responses[0], aliceSocket, "Oslo", "Lima", "run-a"), (responses[1], bobSocket, "Lima", "Oslo", "run-b") })
        {
            AgUiVerifier.Verify(response.Events);
            Assert.Equal("Weather for " + city, response.Events[^1].Str("result"));
            Assert.DoesNotContain(other, response.Body, StringComparison.Ordinal);
            var frames = await socket.EventsAsync(5);
            Assert.All(frames, f => Assert.Equal(runId, f.Str("runId")));
            Assert.All(frames, f => Assert.DoesNotContain(other, f.GetRawText(), StringComparison.Ordinal));
            Assert.Empty(await socket.DrainWithPingAsync());
        }
    }

    [Fact]
    public async Task Unauthenticated_or_malformed_requests_never_reach_the_agent()
    {
        var model = new ScriptedChatClient(_ => Say.Stream(Say.Text("never")));
        await using var server = await StartAsync(Pipelines.Agent(model));
        await using var socket = await server.ConnectAsync("alice");
        using var anonymous = new AgUiClient(server.HttpBase, cookies: null);
        using var alice = new AgUiClient(server.HttpBase, await server.SignInAsync("alice"));

        var unauthenticated = await anonymous.RunAsync(Path, AgUiClient.Input("t", "r", "hi"));
        var malformed = await alice.PostRawAsync(Path, new StringContent("""{"threadId":"t","messages":[]}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.Status);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.Status);
        Assert.Equal("application/problem+json", malformed.MediaType);
        Assert.Equal(0, model.Calls);
        Assert.Empty(await socket.DrainWithPingAsync());
    }

    private static Task<BridgeServer> StartAsync(AIAgent agent) =>
        BridgeServer.StartAsync(map: app => app.MapAgentBridgeAgUi(Path, agent));
}
