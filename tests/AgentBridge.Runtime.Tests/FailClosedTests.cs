using AgentBridge.Runtime.Tests.Infrastructure;

namespace AgentBridge.Runtime.Tests;

public class FailClosedTests
{
    [Fact]
    public async Task A_bridge_without_a_context_throws_on_every_emit_and_sends_nothing()
    {
        await using var server = await BridgeServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");
        var bridge = new AgentWebSocketBridge(server.Manager);

        Assert.Null(bridge.UserContext);
        await Assert.ThrowsAsync<InvalidOperationException>(() => bridge.EmitAgentStartedAsync("a"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => bridge.EmitAgentThinkingAsync("a", "t"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => bridge.EmitToolExecutingAsync("a", "tool"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => bridge.EmitToolCompletedAsync("a", "tool"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => bridge.EmitAgentCompletedAsync("a"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => bridge.EmitAsync(new AgentEvent("x")));
        await Assert.ThrowsAsync<InvalidOperationException>(() => bridge.BeginRunAsync("a"));

        Assert.Empty(await alice.DrainWithPingAsync());
    }

    [Fact]
    public async Task Data_that_cannot_be_serialized_fails_at_the_emit_call_and_harms_no_connection()
    {
        await using var server = await BridgeServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");
        var bridge = server.Factory.Create(server.Context("alice"));
        var cyclic = new Node();
        cyclic.Next = cyclic;

        var error = await Assert.ThrowsAsync<ArgumentException>(() => bridge.EmitToolCompletedAsync("a", "tool", cyclic));
        Assert.Contains("tool_completed", error.Message, StringComparison.Ordinal);

        await bridge.EmitAgentStartedAsync("a");
        var frame = Assert.Single(await alice.DrainWithPingAsync());
        Assert.Equal(1, frame.Seq());
    }

    [Fact]
    public async Task Emit_arguments_are_checked()
    {
        await using var server = await BridgeServer.StartAsync();
        var bridge = server.Factory.Create(server.Context("alice"));
        await Assert.ThrowsAsync<ArgumentException>(() => bridge.EmitAgentStartedAsync(" "));
        await Assert.ThrowsAsync<ArgumentNullException>(() => bridge.EmitAgentThinkingAsync("a", null!));
        await Assert.ThrowsAsync<ArgumentNullException>(() => bridge.EmitAsync(null!));
        await Assert.ThrowsAsync<ArgumentException>(() => bridge.EmitAgentCompletedAsync("a", "done", null, null));
    }

    private sealed class Node
    {
        public Node? Next { get; set; }
    }
}
