using AgentBridge.Runtime.Tests.Infrastructure;

namespace AgentBridge.Runtime.Tests;

public class IsolationTests
{
    [Fact]
    public async Task Fifty_users_with_three_connections_each_receive_exactly_their_own_events_in_order()
    {
        const int Users = 50, ConnectionsPerUser = 3, EventsPerUser = 40;
        await using var server = await BridgeServer.StartAsync();
        var clients = new Dictionary<string, EventClient[]>();
        for (var u = 0; u < Users; u++)
        {
            clients[$"user-{u}"] = await server.ConnectManyAsync($"user-{u}", ConnectionsPerUser);
        }

        try
        {
            // Every user's run emits at the same time as every other user's.
            await Task.WhenAll(clients.Keys.Select(user => Task.Run(async () =>
            {
                var bridge = server.Factory.Create(server.Context(user));
                for (var n = 0; n < EventsPerUser; n++)
                {
                    await bridge.EmitAsync(Frames.Probe(user, n));
                }
            })));

            foreach (var (user, connections) in clients)
            {
                foreach (var connection in connections)
                {
                    var events = await connection.EventsAsync(EventsPerUser);
                    Assert.All(events, e => Assert.Equal(user, e.Data().Str("owner")));
                    Assert.Equal(Enumerable.Range(1, EventsPerUser).Select(i => (long)i), events.Select(e => e.Seq()));
                    Assert.Equal(Enumerable.Range(0, EventsPerUser), events.Select(e => e.Data().GetProperty("n").GetInt32()));

                    // Nothing else was queued for this connection: the pong is the very next frame.
                    Assert.Empty(await connection.DrainWithPingAsync());
                }
            }
        }
        finally
        {
            foreach (var client in clients.Values.SelectMany(c => c))
            {
                await client.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_users_events_never_reach_a_connection_of_another_user()
    {
        await using var server = await BridgeServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");

        await server.Factory.Create(server.Context("alice")).EmitAgentStartedAsync("triage");

        var received = await alice.EventsAsync(1);
        Assert.Equal("agent_started", received[0].Type());
        Assert.Empty(await bob.DrainWithPingAsync());
    }

    [Fact]
    public async Task The_user_id_is_never_sent_to_the_browser()
    {
        await using var server = await BridgeServer.StartAsync();
        await using var client = await server.ConnectAsync("user-with-a-distinctive-id");
        var bridge = server.Factory.Create(server.Context("user-with-a-distinctive-id"));
        await bridge.EmitAgentStartedAsync("a");
        await bridge.EmitAgentCompletedAsync("a", new { ok = true });

        foreach (var frame in await client.EventsAsync(2))
        {
            Assert.DoesNotContain("user-with-a-distinctive-id", frame.GetRawText(), StringComparison.Ordinal);
            Assert.False(frame.TryGetProperty("userId", out _));
        }
    }
}
