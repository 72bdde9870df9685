using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using AgentBridge.Runtime.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace AgentBridge.Runtime.Tests;

public class RegistryLifecycleTests
{
    private static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(20);

    [Fact]
    public async Task Removing_a_session_releases_it_with_its_agents_and_the_next_request_starts_a_new_one()
    {
        await using var server = await BridgeServer.StartAsync();
        var registry = server.Services.GetRequiredService<AgentRegistry>();
        var context = server.Context("alice");
        var session = await registry.GetUserSessionAsync(context);
        await session.RegisterAgentAsync("triage", new NamedAgent("triage"));

        Assert.True(registry.RemoveUserSession("alice"));
        Assert.False(registry.RemoveUserSession("alice"));
        Assert.Equal(0, registry.SessionCount);

        var next = await registry.GetUserSessionAsync(context);
        Assert.NotSame(session, next);
        Assert.Null(await next.GetAgentAsync("triage"));
        Assert.Equal(1, registry.SessionCount);
    }

    [Fact]
    public async Task An_idle_session_of_a_user_without_a_connection_is_released_after_the_idle_timeout()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await BridgeServer.StartAsync(services: s => s.AddSingleton<TimeProvider>(time));
        var registry = server.Services.GetRequiredService<AgentRegistry>();
        await registry.GetUserSessionAsync(server.Context("alice"));
        await registry.GetUserSessionAsync(server.Context("bob"));

        time.Advance(IdleTimeout - TimeSpan.FromMinutes(1));
        await registry.GetUserSessionAsync(server.Context("bob"));   // bob's session is used again
        time.Advance(TimeSpan.FromMinutes(2));

        var report = registry.DiagnoseWebSocketWiring();
        Assert.Equal(["bob"], report.Sessions.Select(s => s.UserId));

        time.Advance(IdleTimeout);
        Assert.Equal(0, registry.SessionCount);
    }

    [Fact]
    public async Task A_session_whose_user_is_connected_is_kept_however_long_it_is_idle()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await BridgeServer.StartAsync(services: s => s.AddSingleton<TimeProvider>(time));
        await using var alice = await server.ConnectAsync("alice");
        var registry = server.Services.GetRequiredService<AgentRegistry>();
        var session = await registry.GetUserSessionAsync(server.Context("alice"));

        time.Advance(IdleTimeout * 3);
        Assert.Same(session, await registry.GetUserSessionAsync(server.Context("alice")));

        await alice.DisposeAsync();
        await ClientMessageTests.WaitUntil(() => server.Manager.GetConnectionCount("alice") == 0);
        time.Advance(IdleTimeout + TimeSpan.FromMinutes(1));
        Assert.Equal(0, registry.SessionCount);
    }

    [Fact]
    public async Task An_infinite_idle_timeout_keeps_sessions_until_they_are_removed()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var provider = Services(time, o => o.SessionIdleTimeout = Timeout.InfiniteTimeSpan);
        var registry = provider.GetRequiredService<AgentRegistry>();
        await registry.GetUserSessionAsync(UserExecutionContext.Create("alice", "t"));

        time.Advance(TimeSpan.FromDays(30));
        Assert.Equal(1, registry.SessionCount);
        Assert.True(registry.RemoveUserSession("alice"));
    }

    [Fact]
    public async Task The_live_sessions_metric_follows_creation_removal_and_idle_release()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var provider = Services(time);
        var live = ListenToLiveSessions(provider, out var listener);
        using (listener)
        {
            var registry = provider.GetRequiredService<AgentRegistry>();
            for (var u = 0; u < 10; u++)
            {
                await registry.GetUserSessionAsync(UserExecutionContext.Create($"user-{u}", "t"));
            }

            Assert.Equal(10, live.Value);
            registry.RemoveUserSession("user-0");
            Assert.Equal(9, live.Value);
            time.Advance(IdleTimeout + TimeSpan.FromMinutes(1));
            Assert.Equal(0, live.Value);
        }
    }

    [Fact]
    public async Task Sequential_runs_of_one_user_through_the_session_bridge_carry_each_runs_own_ids()
    {
        await using var server = await BridgeServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");
        var registry = server.Services.GetRequiredService<AgentRegistry>();
        var first = UserExecutionContext.Create("alice", "thread-1");
        var second = UserExecutionContext.Create("alice", "thread-2");
        await registry.SetWebSocketManagerAsync(server.Manager, first);
        var agent = new NamedAgent("triage");
        await (await registry.GetUserSessionAsync(first)).RegisterAgentAsync("triage", agent);

        await agent.Bridge!.EmitAgentStartedAsync("triage");
        var session = await registry.GetUserSessionAsync(second);
        await session.Bridge!.EmitAgentStartedAsync("triage");
        await agent.Bridge!.EmitAgentCompletedAsync("triage");

        var events = await alice.EventsAsync(3);
        Assert.Equal((first.ThreadId, first.RunId), (events[0].Str("threadId"), events[0].Str("runId")));
        Assert.Equal((second.ThreadId, second.RunId), (events[1].Str("threadId"), events[1].Str("runId")));
        Assert.Equal((second.ThreadId, second.RunId), (events[2].Str("threadId"), events[2].Str("runId")));
    }

    [Fact]
    public async Task Overlapping_runs_of_one_user_take_run_bridges_from_the_session_and_each_keeps_its_ids()
    {
        await using var server = await BridgeServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");
        var registry = server.Services.GetRequiredService<AgentRegistry>();
        var runA = UserExecutionContext.Create("alice", "thread-a");
        var runB = UserExecutionContext.Create("alice", "thread-b");
        await registry.SetWebSocketManagerAsync(server.Manager, runA);
        var session = await registry.GetUserSessionAsync(runA);

        var bridgeA = session.CreateRunBridge(runA);
        var bridgeB = session.CreateRunBridge(runB);
        await Task.WhenAll(
            Task.Run(async () =>
            {
                for (var n = 0; n < 50; n++)
                {
                    await bridgeA.EmitAgentThinkingAsync("a", $"a{n}");
                }
            }),
            Task.Run(async () =>
            {
                for (var n = 0; n < 50; n++)
                {
                    await bridgeB.EmitAgentThinkingAsync("b", $"b{n}");
                }
            }));

        var events = await alice.EventsAsync(100);
        Assert.All(events, e => Assert.Equal(
            e.Data().Str("agentName") == "a" ? runA.RunId : runB.RunId,
            e.Str("runId")));
        Assert.Throws<ArgumentException>("runContext", () => session.CreateRunBridge(UserExecutionContext.Create("bob", "t")));
    }

    [Fact]
    public async Task An_unwired_session_gives_no_run_bridge()
    {
        await using var server = await BridgeServer.StartAsync();
        var session = await new AgentRegistry().GetUserSessionAsync(server.Context("alice"));
        Assert.Throws<InvalidOperationException>(() => session.CreateRunBridge(server.Context("alice")));
    }

    internal static ServiceProvider Services(TimeProvider time, Action<AgentBridgeOptions>? configure = null)
    {
        var services = new ServiceCollection().AddLogging().AddMetrics().AddSingleton(time);
        services.AddAgentBridge(configure);
        return services.BuildServiceProvider();
    }

    /// <summary>The current value of <c>agentbridge.sessions.live</c> of this provider's meter.</summary>
    internal static StrongBox<long> ListenToLiveSessions(ServiceProvider provider, out MeterListener listener)
    {
        var scope = provider.GetRequiredService<IMeterFactory>();
        var live = new StrongBox<long>();
        listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == "AgentBridge" && ReferenceEquals(instrument.Meter.Scope, scope) && instrument.Name == "agentbridge.sessions.live")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref live.Value, value));
        listener.Start();
        return live;
    }

    internal sealed class NamedAgent(string name) : IAgentBridgeAware
    {
        public string Name { get; } = name;

        public AgentWebSocketBridge? Bridge { get; private set; }

        public void SetBridge(AgentWebSocketBridge? bridge) => Bridge = bridge;
    }
}

/// <summary>Runs alone: it reads the process's managed heap size, which other tests running at the same time would move.</summary>
[CollectionDefinition(nameof(RegistryMemoryTests), DisableParallelization = true)]
public sealed class RegistryMemoryTestsDefinition;

[Collection(nameof(RegistryMemoryTests))]
public class RegistryMemoryTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_hundred_thousand_users_sessions_are_released_and_the_memory_they_held_is_returned()
    {
        const int Users = 100_000;
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var provider = RegistryLifecycleTests.Services(time);
        var live = RegistryLifecycleTests.ListenToLiveSessions(provider, out var listener);
        using var _ = listener;
        var registry = provider.GetRequiredService<AgentRegistry>();
        var manager = provider.GetRequiredService<WebSocketConnectionManager>();
        await registry.SetWebSocketManagerAsync(manager, UserExecutionContext.Create("user-0", "t"));

        var before = HeapBytes();
        for (var u = 0; u < Users; u++)
        {
            var session = await registry.GetUserSessionAsync(UserExecutionContext.Create($"user-{u}", $"thread-{u}"));
            await session.RegisterAgentAsync("triage", new RegistryLifecycleTests.NamedAgent("triage"));
        }

        var held = HeapBytes();
        Assert.Equal(Users, registry.SessionCount);
        Assert.Equal(Users, live.Value);

        time.Advance(TimeSpan.FromMinutes(21));
        var after = HeapBytes();

        output.WriteLine($"heap before {before / 1024} KiB, with {Users:N0} sessions {held / 1024} KiB ({(held - before) / Users} B per session), after release {after / 1024} KiB");
        Assert.Equal(0, registry.SessionCount);
        Assert.Equal(0, live.Value);
        Assert.True(held - before > Users * 200L, "the sessions were expected to hold memory while alive");

        // What stays is the registry's emptied map, not the sessions: under 5% of what they held.
        Assert.True(after - before < (held - before) / 20, $"{(after - before) / 1024} KiB still held after the release");
    }

    private static long HeapBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
