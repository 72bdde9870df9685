using AgentBridge.Runtime.Tests.Infrastructure;
using AgentBridge.Runtime.Tests.Specification;
using AgentBridge.StackExchangeRedis.Tests.Infrastructure;

namespace AgentBridge.StackExchangeRedis.Tests;

/// <summary>Two servers on one Redis: users' connections on both, runs on both.</summary>
public class ScaleOutTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [SkippableFact]
    public async Task Two_servers_deliver_every_event_of_fifty_users_to_their_connections_on_both_in_seq_order_and_to_no_one_else()
    {
        const int Users = 50, EventsPerRun = 10;
        await using var nodes = await NodePair.StartAsync((await redis.ServerAsync()).Configuration);
        var (a, b) = (nodes.A, nodes.B);
        var users = Enumerable.Range(0, Users).Select(u => $"user-{u}").ToArray();
        var tabs = new Dictionary<string, EventClient[]>();
        foreach (var user in users)
        {
            tabs[user] = [await a.ConnectAsync(user), await b.ConnectAsync(user)];
        }

        try
        {
            // Each user has a run on each server, and every run of every user emits at once.
            await Task.WhenAll(users.SelectMany(user => new[] { EmitRunAsync(a, user, "A", EventsPerRun), EmitRunAsync(b, user, "B", EventsPerRun) }));

            foreach (var (user, connections) in tabs)
            {
                foreach (var connection in connections)
                {
                    var events = await connection.EventsAsync(2 * EventsPerRun);
                    Assert.All(events, e => Assert.Equal(user, e.Data().Str("owner")));
                    Assert.Equal(Enumerable.Range(1, 2 * EventsPerRun).Select(i => (long)i), events.Select(e => e.Seq()));
                    foreach (var node in new[] { "A", "B" })
                    {
                        Assert.Equal(Enumerable.Range(0, EventsPerRun), events.Where(e => e.Data().Str("node") == node).Select(e => e.Data().GetProperty("n").GetInt32()));
                    }

                    Assert.Empty(await connection.DrainWithPingAsync());
                }
            }
        }
        finally
        {
            await Clients.DisposeAllAsync(tabs.Values.SelectMany(t => t));
        }
    }

    [SkippableFact]
    public async Task A_client_dropped_on_one_server_resumes_on_the_other_with_every_event_exactly_once()
    {
        const int Total = 300;
        await using var nodes = await NodePair.StartAsync((await redis.ServerAsync()).Configuration);
        var (a, b) = (nodes.A, nodes.B);
        var applied = await Clients.DropAndResumeAsync(a, a, b, Total);
        Assert.Equal(Enumerable.Range(1, Total).Select(i => (long)i), applied);
    }

    [SkippableFact]
    public async Task A_resume_on_the_other_server_from_beyond_the_window_is_not_recovered()
    {
        await using var nodes = await NodePair.StartAsync((await redis.ServerAsync()).Configuration, o => o.ReplayWindowSize = 20);
        await Clients.ResumeBeyondTheWindowAsync(nodes.A, nodes.B, window: 20, total: 50);
    }

    [SkippableFact]
    public async Task An_event_for_a_connection_on_the_other_server_reaches_it_alone_in_its_users_order()
    {
        await using var nodes = await NodePair.StartAsync((await redis.ServerAsync()).Configuration);
        var (a, b) = (nodes.A, nodes.B);
        var (target, targetId) = await Clients.ConnectWithIdAsync(b, "alice");
        await using var _ = target;
        await using var other = await a.ConnectAsync("alice");
        var bridge = a.Factory.Create(a.Context("alice"));
        await bridge.EmitAgentStartedAsync("a");
#pragma warning disable AGB0001 // The low-level send is the behaviour under test.
        await a.Manager.SendToConnectionAsync(targetId, new AgentEvent("just_you"));
#pragma warning restore AGB0001

        // The event is handed to server B, which numbers it; wait for it before the next one, to know the order.
        Assert.Equal([(1L, "agent_started"), (2L, "just_you")], (await target.EventsAsync(2)).Select(e => (e.Seq(), e.Type())));
        await bridge.EmitAgentCompletedAsync("a");
        Assert.Equal((3L, "agent_completed"), (await target.EventsAsync(1)).Select(e => (e.Seq(), e.Type())).Single());
        Assert.Equal([(1L, "agent_started"), (3L, "agent_completed")], (await other.EventsAsync(2)).Select(e => (e.Seq(), e.Type())));
    }

    [SkippableFact]
    public async Task A_broadcast_reaches_every_user_connected_to_any_server_once()
    {
        await using var nodes = await NodePair.StartAsync((await redis.ServerAsync()).Configuration);
        var (a, b) = (nodes.A, nodes.B);
        var alice = new[] { await a.ConnectAsync("alice"), await b.ConnectAsync("alice") };
        await using var bob = await b.ConnectAsync("bob");
        try
        {
#pragma warning disable AGB0001 // The low-level broadcast is the behaviour under test.
            await a.Manager.BroadcastAsync(new AgentEvent("to_all"));
#pragma warning restore AGB0001
            foreach (var client in alice.Append(bob))
            {
                Assert.Equal([(1L, "to_all")], (await client.EventsAsync(1)).Select(e => (e.Seq(), e.Type())));
            }

            // Both servers hold a connection of alice; only one of them numbered the broadcast for her.
            await a.Factory.Create(a.Context("alice")).EmitAgentStartedAsync("a");
            foreach (var client in alice)
            {
                Assert.Equal(2, (await client.EventsAsync(1)).Single().Seq());
                Assert.Empty(await client.DrainWithPingAsync());
            }
        }
        finally
        {
            await Clients.DisposeAllAsync(alice);
        }
    }

    internal static async Task EmitRunAsync(BridgeServer server, string user, string node, int events)
    {
        await Task.Yield();
        var bridge = server.Factory.Create(server.Context(user));
        for (var n = 0; n < events; n++)
        {
            await bridge.EmitAsync(new AgentEvent("probe", new { owner = user, n, node }));
        }
    }
}
