using System.Net;
using System.Text;
using System.Text.Json;
using AgentBridge.AgUi;
using AgentBridge.Runtime.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;

namespace AgentBridge.Runtime.Tests;

public class AgUiEndpointTests
{
    private const string Path = "/ag-ui";

    [Fact]
    public async Task A_run_streams_as_valid_AG_UI_events_and_reaches_the_users_socket_numbered_in_their_stream()
    {
        string? toolCallId = null;
        await using var server = await StartAsync(async (run, ct) =>
        {
            await using var scope = await run.Bridge.BeginRunAsync("triage", ct);
            await scope.ThinkingAsync("Reading", ct);
            await scope.ThinkingAsync(" the ticket", ct);
            toolCallId = await scope.ToolExecutingAsync("search", new { query = "refund" }, ct);
            await scope.ToolCompletedAsync("search", new { hits = 2 }, toolCallId, ct);
            await scope.MessageAsync("Refunds take ", ct);
            await scope.MessageAsync("5 days.", ct);
            scope.Complete(new { answer = "Refunds take 5 days." });
        });
        await using var socket = await server.ConnectAsync("alice");
        using var client = new AgUiClient(server.HttpBase, await server.SignInAsync("alice"));

        var response = await client.RunAsync(Path, AgUiClient.Input("thread-7", "run-7", "How long do refunds take?"));

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("text/event-stream", response.MediaType);
        AgUiVerifier.Verify(response.Events);
        Assert.Equal(
            ["RUN_STARTED", "REASONING_START", "REASONING_MESSAGE_START", "REASONING_MESSAGE_CONTENT", "REASONING_MESSAGE_CONTENT", "REASONING_MESSAGE_END", "REASONING_END",
             "TOOL_CALL_START", "TOOL_CALL_ARGS", "TOOL_CALL_END", "TOOL_CALL_RESULT", "TEXT_MESSAGE_START", "TEXT_MESSAGE_CONTENT", "TEXT_MESSAGE_CONTENT", "TEXT_MESSAGE_END", "RUN_FINISHED"],
            response.Types);
        var started = response.Events[0];
        Assert.Equal(("thread-7", "run-7"), (started.Str("threadId"), started.Str("runId")));
        Assert.Equal("Reading the ticket", string.Concat(response.OfType("REASONING_MESSAGE_CONTENT").Select(e => e.Str("delta"))));
        Assert.Equal(toolCallId, response.OfType("TOOL_CALL_START").Single().Str("toolCallId"));
        Assert.Equal("search", response.OfType("TOOL_CALL_START").Single().Str("toolCallName"));
        Assert.Equal("""{"query":"refund"}""", response.OfType("TOOL_CALL_ARGS").Single().Str("delta"));
        var result = response.OfType("TOOL_CALL_RESULT").Single();
        Assert.Equal((toolCallId, """{"hits":2}""", "tool"), (result.Str("toolCallId"), result.Str("content"), result.Str("role")));
        Assert.Equal("Refunds take 5 days.", string.Concat(response.OfType("TEXT_MESSAGE_CONTENT").Select(e => e.Str("delta"))));
        var finished = response.Events[^1];
        Assert.Equal("Refunds take 5 days.", finished.GetProperty("result").Str("answer"));
        Assert.Equal("success", finished.GetProperty("outcome").Str("type"));

        var frames = await socket.EventsAsync(8);
        Assert.Equal(["agent_started", "agent_thinking", "agent_thinking", "tool_executing", "tool_completed", "agent_message", "agent_message", "agent_completed"], frames.Select(f => f.Type()));
        Assert.All(frames, f => Assert.Equal(("thread-7", "run-7"), (f.Str("threadId"), f.Str("runId"))));
        Assert.Equal(Enumerable.Range((int)frames[0].Seq(), 8).Select(i => (long)i), frames.Select(f => f.Seq()));
    }

    [Fact]
    public async Task Line_breaks_quotes_and_any_script_in_the_text_arrive_intact()
    {
        const string Text = "Line one\r\nline two: \"quoted\" <b>&</b> \u00e9t\u00e9 \u6771\u4eac \U0001F600\n\ndata: not an event";
        await using var server = await StartAsync((run, ct) => run.Bridge.RunAsync("writer", async (scope, token) =>
        {
            await scope.MessageAsync(Text, token);
            return null;
        }, ct));
        using var client = new AgUiClient(server.HttpBase, await server.SignInAsync("alice"));

        var response = await client.RunAsync(Path, AgUiClient.Input("t", "r", "write"));

        AgUiVerifier.Verify(response.Events);
        Assert.Equal(Text, response.OfType("TEXT_MESSAGE_CONTENT").Single().Str("delta"));
    }

    [Fact]
    public async Task Tool_events_without_a_call_id_pair_in_order_per_tool()
    {
        await using var server = await StartAsync(async (run, ct) =>
        {
            var bridge = run.Bridge;
            await bridge.EmitAgentStartedAsync("legacy", ct);
            await bridge.EmitToolExecutingAsync("legacy", "search", new { q = 1 }, ct);
            await bridge.EmitToolExecutingAsync("legacy", "search", new { q = 2 }, ct);
            await bridge.EmitToolExecutingAsync("legacy", "fetch", new { url = "u" }, ct);
            await bridge.EmitToolCompletedAsync("legacy", "fetch", "page", ct);
            await bridge.EmitToolCompletedAsync("legacy", "search", new { of = 1 }, ct);
            await bridge.EmitToolCompletedAsync("legacy", "search", new { of = 2 }, ct);
            await bridge.EmitToolCompletedAsync("legacy", "lookup", null, ct);
            await bridge.EmitAgentCompletedAsync("legacy", cancellationToken: ct);
        });
        using var client = new AgUiClient(server.HttpBase, await server.SignInAsync("alice"));

        var response = await client.RunAsync(Path, AgUiClient.Input("t", "r", "go"));

        AgUiVerifier.Verify(response.Events);
        var starts = response.OfType("TOOL_CALL_START").ToList();
        Assert.Equal(["search", "search", "fetch", "lookup"], starts.Select(s => s.Str("toolCallName")));
        Assert.Equal(4, starts.Select(s => s.Str("toolCallId")).Distinct().Count());
        var results = response.OfType("TOOL_CALL_RESULT").ToList();
        Assert.Equal(
            [(starts[2].Str("toolCallId"), "page"), (starts[0].Str("toolCallId"), """{"of":1}"""), (starts[1].Str("toolCallId"), """{"of":2}"""), (starts[3].Str("toolCallId"), "")],
            results.Select(r => (r.Str("toolCallId"), r.Str("content"))));
        Assert.Equal(4, results.Select(r => r.Str("messageId")).Distinct().Count());
    }

    [Fact]
    public async Task Agents_inside_the_run_are_steps_and_an_apps_own_events_are_CUSTOM()
    {
        await using var server = await StartAsync((run, ct) => run.Bridge.RunAsync("planner", async (scope, token) =>
        {
            await run.Bridge.RunAsync("researcher", async (inner, t) =>
            {
                await inner.ThinkingAsync("looking", t);
                return null;
            }, token);
            await run.Bridge.EmitAsync(new AgentEvent("citation", new { url = "https://example.org/a" }), token);
            return "planned";
        }, ct));
        using var client = new AgUiClient(server.HttpBase, await server.SignInAsync("alice"));

        var response = await client.RunAsync(Path, AgUiClient.Input("t", "r", "plan"));

        AgUiVerifier.Verify(response.Events);
        Assert.Equal(
            ["RUN_STARTED", "STEP_STARTED", "REASONING_START", "REASONING_MESSAGE_START", "REASONING_MESSAGE_CONTENT", "REASONING_MESSAGE_END", "REASONING_END", "STEP_FINISHED", "CUSTOM", "RUN_FINISHED"],
            response.Types);
        Assert.Equal("researcher", response.OfType("STEP_STARTED").Single().Str("stepName"));
        var custom = response.OfType("CUSTOM").Single();
        Assert.Equal("citation", custom.Str("name"));
        Assert.Equal("https://example.org/a", custom.GetProperty("value").Str("url"));
        Assert.Equal("planned", response.Events[^1].Str("result"));
    }

    [Fact]
    public async Task A_failed_run_ends_with_RUN_ERROR_and_no_exception_details()
    {
        await using var server = await StartAsync((run, ct) =>
            run.Bridge.RunAsync("triage", (_, _) => throw new InvalidOperationException("database password is hunter2"), ct));
        await using var socket = await server.ConnectAsync("alice");
        using var client = new AgUiClient(server.HttpBase, await server.SignInAsync("alice"));

        var response = await client.RunAsync(Path, AgUiClient.Input("t", "r", "go"));

        AgUiVerifier.Verify(response.Events);
        Assert.Equal(["RUN_STARTED", "RUN_ERROR"], response.Types);
        Assert.Equal(("The agent run failed.", "failed"), (response.Events[1].Str("message"), response.Events[1].Str("code")));
        Assert.DoesNotContain("hunter2", response.Body, StringComparison.Ordinal);
        var frames = await socket.EventsAsync(2);
        Assert.Equal("failed", frames[1].Data().Str("status"));
    }

    [Fact]
    public async Task A_handler_that_throws_before_any_event_ends_the_stream_with_RUN_ERROR()
    {
        await using var server = await StartAsync((_, _) => throw new TimeoutException("the model timed out"), o => o.IncludeExceptionDetails = true);
        using var client = new AgUiClient(server.HttpBase, await server.SignInAsync("alice"));

        var response = await client.RunAsync(Path, AgUiClient.Input("t", "r", "go"));

        AgUiVerifier.Verify(response.Events);
        Assert.Equal(["RUN_STARTED", "RUN_ERROR"], response.Types);
        Assert.Equal("the model timed out", response.Events[1].Str("message"));
    }

    [Fact]
    public async Task A_cancelled_run_ends_with_RUN_FINISHED_whose_outcome_is_cancelled()
    {
        await using var server = await StartAsync(async (run, ct) =>
        {
            await using var scope = await run.Bridge.BeginRunAsync("triage", ct);
            await scope.MessageAsync("Starting", ct);
            scope.Cancel();
        });
        using var client = new AgUiClient(server.HttpBase, await server.SignInAsync("alice"));

        var response = await client.RunAsync(Path, AgUiClient.Input("t", "r", "go"));

        AgUiVerifier.Verify(response.Events);
        var finished = response.Events[^1];
        Assert.Equal("RUN_FINISHED", finished.Type());
        Assert.Equal("cancelled", finished.GetProperty("outcome").Str("type"));
        Assert.False(finished.TryGetProperty("result", out _));
    }

    [Fact]
    public async Task A_client_that_goes_away_cancels_the_run_and_the_users_sockets_learn_it_ended()
    {
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await StartAsync((run, ct) => run.Bridge.RunAsync("slow", async (scope, token) =>
        {
            await scope.ThinkingAsync("working", token);
            try
            {
                await Task.Delay(Timeout.Infinite, token);
            }
            catch (OperationCanceledException)
            {
                cancelled.TrySetResult();
                throw;
            }

            return null;
        }, ct));
        await using var socket = await server.ConnectAsync("alice");
        using var client = new AgUiClient(server.HttpBase, await server.SignInAsync("alice"));

        using (var stream = await client.OpenAsync(Path, AgUiClient.Input("t", "r", "go")))
        {
            Assert.Equal("RUN_STARTED", (await stream.NextAsync())?.Type());
            Assert.Equal("REASONING_START", (await stream.NextAsync())?.Type());
        }

        await cancelled.Task.WaitAsync(EventClient.DefaultTimeout);
        var frames = await socket.EventsAsync(3);
        Assert.Equal(["agent_started", "agent_thinking", "agent_completed"], frames.Select(f => f.Type()));
        Assert.Equal("cancelled", frames[2].Data().Str("status"));
    }

    [Fact]
    public async Task The_response_ends_with_the_runs_agent_completed_and_later_events_reach_only_the_socket()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await StartAsync(async (run, ct) =>
        {
            await run.Bridge.RunAsync("triage", (_, _) => Task.FromResult<object?>("done"), ct);
            await run.Bridge.EmitAsync(new AgentEvent("audit", new { note = "after the run" }), ct);
            await release.Task.WaitAsync(ct);
        });
        await using var socket = await server.ConnectAsync("alice");
        using var client = new AgUiClient(server.HttpBase, await server.SignInAsync("alice"));

        // The handler is still waiting: the response ended with the run, not with the handler.
        var response = await client.RunAsync(Path, AgUiClient.Input("t", "r", "go"));
        release.SetResult();

        Assert.Equal(["RUN_STARTED", "RUN_FINISHED"], response.Types);
        Assert.Equal(["agent_started", "agent_completed", "audit"], (await socket.EventsAsync(3)).Select(f => f.Type()));
    }

    [Fact]
    public async Task The_user_is_the_signed_in_principal_and_never_the_threadId_or_runId_of_the_input()
    {
        UserExecutionContext? seen = null;
        await using var server = await StartAsync(async (run, ct) =>
        {
            seen = run.UserContext;
            await run.Bridge.RunAsync("triage", (_, _) => Task.FromResult<object?>(null), ct);
        });
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");
        using var client = new AgUiClient(server.HttpBase, await server.SignInAsync("bob"));

        var response = await client.RunAsync(Path, AgUiClient.Input(threadId: "alice", runId: "alice", text: "whose run?"));

        AgUiVerifier.Verify(response.Events);
        Assert.Equal(("bob", "alice", "alice"), (seen!.UserId, seen.ThreadId, seen.RunId));
        Assert.Equal(2, (await bob.EventsAsync(2)).Count);
        Assert.Empty(await alice.DrainWithPingAsync());
    }

    [Fact]
    public async Task An_unauthenticated_request_gets_401_before_the_handler_runs()
    {
        var handler = new CountingHandler();
        await using var server = await StartAsync(handler.HandleAsync);
        using var client = new AgUiClient(server.HttpBase, cookies: null);

        var response = await client.RunAsync(Path, AgUiClient.Input("t", "r", "hi"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Equal("application/problem+json", response.MediaType);
        Assert.Equal(0, handler.Calls);
    }

    [Theory]
    [InlineData("application/json", "{not json", HttpStatusCode.BadRequest, "$")]
    [InlineData("application/json", "[]", HttpStatusCode.BadRequest, "$")]
    [InlineData("application/json", """{"runId":"r","messages":[]}""", HttpStatusCode.BadRequest, "threadId")]
    [InlineData("application/json", """{"threadId":" ","runId":"r","messages":[]}""", HttpStatusCode.BadRequest, "threadId")]
    [InlineData("application/json", """{"threadId":"t","runId":"r","messages":{}}""", HttpStatusCode.BadRequest, "messages")]
    [InlineData("application/json", """{"threadId":"t","runId":"r","messages":[{"id":"m","role":"robot","content":"x"}]}""", HttpStatusCode.BadRequest, "messages[0]")]
    [InlineData("application/json", """{"threadId":"t","runId":"r","messages":[{"id":"m","role":"tool","content":"x"}]}""", HttpStatusCode.BadRequest, "messages[0]")]
    [InlineData("application/json", """{"threadId":"t","runId":"r","messages":[],"tools":{}}""", HttpStatusCode.BadRequest, "tools")]
    [InlineData("text/plain", """{"threadId":"t","runId":"r","messages":[]}""", HttpStatusCode.UnsupportedMediaType, null)]
    public async Task Malformed_input_gets_a_4xx_problem_response_and_nothing_starts(string contentType, string body, HttpStatusCode expected, string? field)
    {
        var handler = new CountingHandler();
        await using var server = await StartAsync(handler.HandleAsync);
        await using var socket = await server.ConnectAsync("alice");
        using var client = new AgUiClient(server.HttpBase, await server.SignInAsync("alice"));

        var response = await client.PostRawAsync(Path, new StringContent(body, Encoding.UTF8, contentType));

        Assert.Equal(expected, response.Status);
        Assert.Equal("application/problem+json", response.MediaType);
        if (field is not null)
        {
            using var problem = JsonDocument.Parse(response.Body);
            Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), response.Body);
        }

        Assert.Equal(0, handler.Calls);
        Assert.Empty(await socket.DrainWithPingAsync());
    }

    [Fact]
    public async Task A_run_posted_by_another_site_with_the_users_cookie_gets_403_and_the_pages_own_origin_runs()
    {
        var handler = new CountingHandler();
        await using var server = await StartAsync(handler.HandleAsync);
        var cookies = await server.SignInAsync("alice");
        using var crossSite = new AgUiClient(server.HttpBase, cookies, origin: "http://evil.example");
        using var ownPage = new AgUiClient(server.HttpBase, cookies, origin: server.HttpBase.GetLeftPart(UriPartial.Authority));

        var refused = await crossSite.RunAsync(Path, AgUiClient.Input("t", "r1", "hi"));
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Equal(0, handler.Calls);

        var accepted = await ownPage.RunAsync(Path, AgUiClient.Input("t", "r2", "hi"));
        Assert.Equal(HttpStatusCode.OK, accepted.Status);
        Assert.Equal(1, handler.Calls);
    }

    [Fact]
    public async Task An_oversized_input_gets_413_and_nothing_starts()
    {
        var handler = new CountingHandler();
        await using var server = await StartAsync(handler.HandleAsync);
        using var client = new AgUiClient(server.HttpBase, await server.SignInAsync("alice"));

        var response = await client.RunAsync(Path, AgUiClient.Input("t", "r", new string('x', 5 * 1024 * 1024)));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.Status);
        Assert.Equal(0, handler.Calls);
    }

    private sealed class CountingHandler
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public Task HandleAsync(AgUiRunContext run, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            return Task.CompletedTask;
        }
    }

    private static Task<BridgeServer> StartAsync(AgUiRunHandler handler, Action<AgentBridgeOptions>? configure = null) =>
        BridgeServer.StartAsync(configure, map: app => app.MapAgentBridgeAgUi(Path, handler));
}
