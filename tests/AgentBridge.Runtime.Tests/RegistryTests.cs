using AgentBridge.Runtime.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AgentBridge.Runtime.Tests;

public class RegistryTests
{
    [Fact]
    public async Task Setting_the_manager_with_a_context_wires_that_users_session_and_it_emits_to_that_user()
    {
        await using var server = await BridgeServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");
        var registry = server.Services.GetRequiredService<AgentRegistry>();
        var context = server.Context("alice");

        await registry.SetWebSocketManagerAsync(server.Manager, context);
        var session = await registry.GetUserSessionAsync(context);

        Assert.True(session.IsWired);
        Assert.Equal("alice", session.Bridge!.UserContext!.UserId);
        await session.Bridge.EmitAgentStartedAsync("a");
        Assert.Single(await alice.EventsAsync(1));
    }

    [Fact]
    public async Task Setting_the_manager_without_a_context_wires_nothing_throws_nothing_and_is_reported()
    {
        await using var server = await BridgeServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");
        var registry = new AgentRegistry();

        registry.SetWebSocketManager(server.Manager);
        await registry.SetWebSocketManagerAsync(server.Manager, null);
        var session = await registry.GetUserSessionAsync(server.Context("alice"));

        Assert.False(session.IsWired);
        Assert.Null(session.Bridge);
        var report = registry.DiagnoseWebSocketWiring();
        Assert.False(report.RegistryHasManager);
        Assert.Equal(2, report.CallsWithoutContext);
        Assert.False(report.IsHealthy);
        var wiring = Assert.Single(report.Sessions);
        Assert.False(wiring.IsWired);
        Assert.Equal(UserAgentSession.NoManagerReason, wiring.Reason);
        Assert.Empty(await alice.DrainWithPingAsync());
    }

    [Fact]
    public async Task A_session_set_without_a_context_becomes_unwired_and_its_agents_lose_the_bridge()
    {
        await using var server = await BridgeServer.StartAsync();
        var registry = new AgentRegistry();
        var context = server.Context("alice");
        await registry.SetWebSocketManagerAsync(server.Manager, context);
        var session = await registry.GetUserSessionAsync(context);
        var agent = new RecordingAgent("triage");
        await session.RegisterAgentAsync("triage", agent);
        Assert.NotNull(agent.Bridge);

        session.SetWebSocketManager(server.Manager, userContext: null);

        Assert.False(session.IsWired);
        Assert.Null(agent.Bridge);
        Assert.Equal(UserAgentSession.NoContextReason, session.UnwiredReason);
        var wiring = Assert.Single(registry.DiagnoseWebSocketWiring().UnwiredSessions);
        Assert.Equal(UserAgentSession.NoContextReason, wiring.Reason);
    }

    [Fact]
    public async Task The_manager_propagates_to_sessions_created_before_and_after_it_was_set()
    {
        await using var server = await BridgeServer.StartAsync();
        await using var bob = await server.ConnectAsync("bob");
        var registry = new AgentRegistry();
        var before = await registry.GetUserSessionAsync(server.Context("carol"));
        Assert.False(before.IsWired);

        await registry.SetWebSocketManagerAsync(server.Manager, server.Context("alice"));
        var after = await registry.GetUserSessionAsync(server.Context("bob"));

        Assert.True(before.IsWired);
        Assert.Equal("carol", before.Bridge!.UserContext!.UserId);
        Assert.True(after.IsWired);
        Assert.Equal("bob", after.Bridge!.UserContext!.UserId);
        await after.Bridge.EmitAgentStartedAsync("b");
        Assert.Single(await bob.EventsAsync(1));
        Assert.True(registry.DiagnoseWebSocketWiring().IsHealthy);
    }

    [Fact]
    public async Task Agents_registered_before_or_after_wiring_get_the_sessions_bridge()
    {
        await using var server = await BridgeServer.StartAsync();
        var registry = new AgentRegistry();
        var context = server.Context("alice");
        var session = await registry.GetUserSessionAsync(context);
        var early = new RecordingAgent("early");
        await session.RegisterAgentAsync("early", early);
        Assert.Null(early.Bridge);

        session.SetWebSocketManager(server.Manager, context);
        var late = new RecordingAgent("late");
        await session.RegisterAgentAsync("late", late);

        Assert.Same(session.Bridge, early.Bridge);
        Assert.Same(session.Bridge, late.Bridge);
        Assert.Same(late, await session.GetAgentAsync("late"));
        Assert.Null(await session.GetAgentAsync("missing"));
    }

    [Fact]
    public async Task Wiring_a_session_with_another_users_context_is_refused()
    {
        await using var server = await BridgeServer.StartAsync();
        var registry = new AgentRegistry();
        var session = await registry.GetUserSessionAsync(server.Context("alice"));
        Assert.Throws<ArgumentException>("userContext", () => session.SetWebSocketManager(server.Manager, server.Context("bob")));
        Assert.False(session.IsWired);
    }

    [Fact]
    public async Task Null_arguments_are_refused_clearly()
    {
        await using var server = await BridgeServer.StartAsync();
        var registry = new AgentRegistry();
        Assert.Throws<ArgumentNullException>("manager", () => registry.SetWebSocketManager(null!, server.Context("alice")));
        await Assert.ThrowsAsync<ArgumentNullException>("userContext", () => registry.GetUserSessionAsync(null!));
        var session = await registry.GetUserSessionAsync(server.Context("alice"));
        await Assert.ThrowsAsync<ArgumentNullException>("agent", () => session.RegisterAgentAsync("x", null!));
        await Assert.ThrowsAsync<ArgumentException>("agentType", () => session.RegisterAgentAsync(" ", new RecordingAgent("x")));
    }

    [Fact]
    public async Task Many_users_wiring_concurrently_each_end_up_with_their_own_bridge()
    {
        await using var server = await BridgeServer.StartAsync();
        var registry = new AgentRegistry();
        const int Users = 200;
        await Task.WhenAll(Enumerable.Range(0, Users).Select(u => Task.Run(async () =>
        {
            var context = server.Context($"user-{u}", $"thread-{u}");
            if (u % 2 == 0)
            {
                await registry.SetWebSocketManagerAsync(server.Manager, context);
            }
            else
            {
                registry.SetWebSocketManager(server.Manager, context);
            }

            var session = await registry.GetUserSessionAsync(context);
            await session.RegisterAgentAsync("agent", new RecordingAgent($"agent-{u}"));
        })));

        var report = registry.DiagnoseWebSocketWiring();
        Assert.True(report.IsHealthy);
        Assert.Equal(Users, report.Sessions.Count);
        for (var u = 0; u < Users; u++)
        {
            var session = await registry.GetUserSessionAsync(server.Context($"user-{u}"));
            Assert.Equal($"user-{u}", session.Bridge!.UserContext!.UserId);
            var agent = (RecordingAgent)(await session.GetAgentAsync("agent"))!;
            Assert.Same(session.Bridge, agent.Bridge);
        }
    }

    [Fact]
    public async Task The_diagnosis_reports_connection_and_agent_counts_per_session()
    {
        await using var server = await BridgeServer.StartAsync();
        var tabs = await server.ConnectManyAsync("alice", 2);
        try
        {
            var registry = new AgentRegistry();
            await registry.SetWebSocketManagerAsync(server.Manager, server.Context("alice"));
            var session = await registry.GetUserSessionAsync(server.Context("alice"));
            await session.RegisterAgentAsync("a", new RecordingAgent("a"));
            await session.RegisterAgentAsync("b", new RecordingAgent("b"));
            await registry.GetUserSessionAsync(server.Context("bob"));

            var report = registry.DiagnoseWebSocketWiring();
            Assert.Equal(["alice", "bob"], report.Sessions.Select(s => s.UserId));
            Assert.Equal((2, 2, true, (string?)null), (report.Sessions[0].ConnectionCount, report.Sessions[0].AgentCount, report.Sessions[0].IsWired, report.Sessions[0].Reason));
            Assert.Equal((0, 0, true), (report.Sessions[1].ConnectionCount, report.Sessions[1].AgentCount, report.Sessions[1].IsWired));
        }
        finally
        {
            foreach (var tab in tabs)
            {
                await tab.DisposeAsync();
            }
        }
    }

    private sealed class RecordingAgent(string name) : IAgentBridgeAware
    {
        public string Name { get; } = name;

        public AgentWebSocketBridge? Bridge { get; private set; }

        public void SetBridge(AgentWebSocketBridge? bridge) => Bridge = bridge;
    }
}
