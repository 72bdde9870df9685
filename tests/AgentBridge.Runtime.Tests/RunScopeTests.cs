using System.Text.Json;
using AgentBridge.Runtime.Tests.Infrastructure;

namespace AgentBridge.Runtime.Tests;

public class RunScopeTests
{
    [Fact]
    public async Task A_completed_run_emits_started_then_one_agent_completed_succeeded_with_the_result()
    {
        await using var server = await BridgeServer.StartAsync();
        await using var client = await server.ConnectAsync("alice");
        var bridge = server.Factory.Create(server.Context("alice"));

        await using (var run = await bridge.BeginRunAsync("triage"))
        {
            await run.ThinkingAsync("reading the ticket");
            await run.ToolExecutingAsync("search", new { query = "refund" });
            await run.ToolCompletedAsync("search", new { hits = 2 });
            run.Complete(new { answer = "done" });
        }

        var events = await client.EventsAsync(5);
        Assert.Equal(["agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed"], events.Select(e => e.Type()));
        var completed = events[4].Data();
        Assert.Equal("succeeded", completed.Str("status"));
        Assert.Equal("done", completed.GetProperty("result").Str("answer"));
        Assert.False(completed.TryGetProperty("error", out _));
        Assert.Empty(await client.DrainWithPingAsync());
    }

    [Fact]
    public async Task An_exception_in_the_run_emits_one_agent_completed_failed_without_the_exception_details_by_default()
    {
        await using var server = await BridgeServer.StartAsync();
        await using var client = await server.ConnectAsync("alice");
        var bridge = server.Factory.Create(server.Context("alice"));

        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await using var run = await bridge.BeginRunAsync("triage");
            throw new InvalidOperationException("database password is hunter2");
        });

        var events = await client.EventsAsync(2);
        var completed = events[1].Data();
        Assert.Equal("failed", completed.Str("status"));
        Assert.Equal("The agent run failed.", completed.Str("error"));
        Assert.DoesNotContain("hunter2", events[1].GetRawText(), StringComparison.Ordinal);
        Assert.Empty(await client.DrainWithPingAsync());
    }

    [Fact]
    public async Task RunAsync_reports_the_exception_message_when_details_are_enabled_and_rethrows()
    {
        await using var server = await BridgeServer.StartAsync(o => o.IncludeExceptionDetails = true);
        await using var client = await server.ConnectAsync("alice");
        var bridge = server.Factory.Create(server.Context("alice"));

        var thrown = await Assert.ThrowsAsync<TimeoutException>(() =>
            bridge.RunAsync("triage", (_, _) => throw new TimeoutException("tool timed out")));

        var events = await client.EventsAsync(2);
        Assert.Equal("failed", events[1].Data().Str("status"));
        Assert.Equal(thrown.Message, events[1].Data().Str("error"));
    }

    [Fact]
    public async Task A_cancelled_run_emits_one_agent_completed_cancelled()
    {
        await using var server = await BridgeServer.StartAsync();
        await using var client = await server.ConnectAsync("alice");
        var bridge = server.Factory.Create(server.Context("alice"));
        using var cts = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await using var run = await bridge.BeginRunAsync("triage", cts.Token);
            await run.ThinkingAsync("working");
            await cts.CancelAsync();
            await Task.Delay(Timeout.Infinite, cts.Token);
        });

        var events = await client.EventsAsync(3);
        Assert.Equal("agent_completed", events[2].Type());
        Assert.Equal("cancelled", events[2].Data().Str("status"));
        Assert.Empty(await client.DrainWithPingAsync());
    }

    [Fact]
    public async Task RunAsync_reports_cancellation_and_success()
    {
        await using var server = await BridgeServer.StartAsync();
        await using var client = await server.ConnectAsync("alice");
        var bridge = server.Factory.Create(server.Context("alice"));
        using var cts = new CancellationTokenSource();

        await bridge.RunAsync("ok", (run, _) => Task.FromResult<object?>(42));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => bridge.RunAsync("slow", async (run, ct) =>
        {
            await cts.CancelAsync();
            await Task.Delay(Timeout.Infinite, ct);
            return null;
        }, cts.Token));

        var completed = (await client.EventsAsync(4)).Where(e => e.Type() == "agent_completed").ToList();
        Assert.Equal(2, completed.Count);
        Assert.Equal("succeeded", completed[0].Data().Str("status"));
        Assert.Equal(42, completed[0].Data().GetProperty("result").GetInt32());
        Assert.Equal("cancelled", completed[1].Data().Str("status"));
    }

    [Fact]
    public async Task Disposing_a_run_twice_emits_agent_completed_once_and_the_first_outcome_wins()
    {
        await using var server = await BridgeServer.StartAsync();
        await using var client = await server.ConnectAsync("alice");
        var bridge = server.Factory.Create(server.Context("alice"));

        var run = await bridge.BeginRunAsync("triage");
        run.Fail("the tool is down");
        run.Complete("too late");
        await run.DisposeAsync();
        await run.DisposeAsync();
        Assert.Throws<InvalidOperationException>(() => run.Complete());

        var frames = await client.DrainWithPingAsync();
        var completed = Assert.Single(frames, f => f.Type() == "agent_completed");
        Assert.Equal("failed", completed.Data().Str("status"));
        Assert.Equal("the tool is down", completed.Data().Str("error"));
    }

    [Fact]
    public async Task A_run_left_without_Complete_and_without_cancellation_ends_failed()
    {
        await using var server = await BridgeServer.StartAsync();
        await using var client = await server.ConnectAsync("alice");
        var bridge = server.Factory.Create(server.Context("alice"));
        await using (await bridge.BeginRunAsync("forgetful"))
        {
        }

        var events = await client.EventsAsync(2);
        Assert.Equal("failed", events[1].Data().Str("status"));
    }
}
