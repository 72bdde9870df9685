using System.Text.Json;
using AgentBridge.Runtime.Tests.Infrastructure;

namespace AgentBridge.Runtime.Tests.Specification;

/// <summary>
/// The contract of <see cref="AgentEventStreams"/>, over real sockets: one suite that every implementation passes
/// (the in-memory default here, Redis in AgentBridge.StackExchangeRedis.Tests, which compiles this file too).
/// </summary>
public abstract class EventStreamsSpecification
{
    /// <summary>Starts a server whose streams are the implementation under test, on a stream store of its own.</summary>
    protected abstract Task<BridgeServer> StartServerAsync(Action<AgentBridgeOptions>? configure = null);

    [SkippableFact]
    public async Task Each_connection_receives_exactly_its_users_events_in_seq_order()
    {
        const int EventsPerUser = 30;
        await using var server = await StartServerAsync();
        var users = new[] { "alice", "bob", "carol" };
        var tabs = new Dictionary<string, EventClient[]>();
        foreach (var user in users)
        {
            tabs[user] = await server.ConnectManyAsync(user, 2);
        }

        try
        {
            await Task.WhenAll(users.Select(user => Task.Run(async () =>
            {
                var bridge = server.Factory.Create(server.Context(user));
                for (var n = 0; n < EventsPerUser; n++)
                {
                    await bridge.EmitAsync(Frames.Probe(user, n));
                }
            })));

            foreach (var (user, connections) in tabs)
            {
                foreach (var connection in connections)
                {
                    var events = await connection.EventsAsync(EventsPerUser);
                    Assert.All(events, e => Assert.Equal(user, e.Data().Str("owner")));
                    Assert.Equal(Enumerable.Range(1, EventsPerUser).Select(i => (long)i), events.Select(e => e.Seq()));
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
    public async Task Events_emitted_while_the_user_had_no_connection_are_replayed_on_resume()
    {
        await using var server = await StartServerAsync();
        var bridge = server.Factory.Create(server.Context("alice"));
        for (var n = 0; n < 10; n++)
        {
            await bridge.EmitAsync(Frames.Probe("alice", n));
        }

        await using var client = await server.ConnectAsync("alice");
        await client.SendTextAsync("""{"type":"resume","lastSeq":0}""");
        var resumed = await client.NextOfTypeAsync("resumed");
        Assert.True(resumed.GetProperty("recovered").GetBoolean());
        Assert.Equal(10, resumed.GetProperty("lastSeq").GetInt64());
        Assert.Equal(1, resumed.GetProperty("oldestSeq").GetInt64());
        Assert.False(string.IsNullOrEmpty(resumed.Str("epoch")));
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), (await client.EventsAsync(10)).Select(e => e.Seq()));
        Assert.Empty(await client.DrainWithPingAsync());
    }

    [SkippableFact]
    public async Task A_client_that_drops_mid_run_and_resumes_gets_every_event_exactly_once_in_order()
    {
        const int Total = 300;
        await using var server = await StartServerAsync();
        var applied = await Clients.DropAndResumeAsync(server, server, server, Total);
        Assert.Equal(Enumerable.Range(1, Total).Select(i => (long)i), applied);
    }

    [SkippableFact]
    public async Task A_resume_from_before_the_window_is_not_recovered_and_names_the_oldest_seq()
    {
        await using var server = await StartServerAsync(o => o.ReplayWindowSize = 5);
        await Clients.ResumeBeyondTheWindowAsync(server, server, window: 5, total: 12);
    }

    [SkippableFact]
    public async Task Events_older_than_the_window_age_are_not_recovered()
    {
        await using var server = await StartServerAsync(o => o.ReplayWindowAge = TimeSpan.FromMilliseconds(400));
        var bridge = server.Factory.Create(server.Context("alice"));
        await bridge.EmitAgentStartedAsync("a");
        await bridge.EmitAgentStartedAsync("a");
        await Task.Delay(900);
        await bridge.EmitAgentStartedAsync("a");

        await using var client = await server.ConnectAsync("alice");
        await client.SendTextAsync("""{"type":"resume","lastSeq":1}""");
        var resumed = await client.NextOfTypeAsync("resumed");
        Assert.False(resumed.GetProperty("recovered").GetBoolean());
        Assert.Equal(3, resumed.GetProperty("oldestSeq").GetInt64());
        Assert.Empty(await client.DrainWithPingAsync());
    }

    [SkippableFact]
    public async Task A_resume_with_the_streams_epoch_recovers_and_with_another_epoch_or_a_future_seq_does_not()
    {
        await using var server = await StartServerAsync();
        await server.Factory.Create(server.Context("alice")).EmitAgentStartedAsync("a");
        await using var client = await server.ConnectAsync("alice");

        await client.SendTextAsync("""{"type":"resume","lastSeq":0}""");
        var epoch = (await client.NextOfTypeAsync("resumed")).Str("epoch");
        Assert.Single(await client.EventsAsync(1));

        await client.SendTextAsync(JsonSerializer.Serialize(new { type = "resume", lastSeq = 1, epoch }));
        Assert.True((await client.NextOfTypeAsync("resumed")).GetProperty("recovered").GetBoolean());
        await client.SendTextAsync("""{"type":"resume","lastSeq":0,"epoch":"some-other-epoch"}""");
        Assert.False((await client.NextOfTypeAsync("resumed")).GetProperty("recovered").GetBoolean());
        await client.SendTextAsync("""{"type":"resume","lastSeq":99}""");
        Assert.False((await client.NextOfTypeAsync("resumed")).GetProperty("recovered").GetBoolean());
        Assert.Empty(await client.DrainWithPingAsync());
    }

    [SkippableFact]
    public async Task An_event_for_one_connection_takes_the_next_seq_reaches_that_connection_only_and_is_not_replayed()
    {
        await using var server = await StartServerAsync();
        var (target, targetId) = await Clients.ConnectWithIdAsync(server, "alice");
        await using var _ = target;
        await using var other = await server.ConnectAsync("alice");
        var bridge = server.Factory.Create(server.Context("alice"));

        await bridge.EmitAgentStartedAsync("a");
#pragma warning disable AGB0001 // The low-level send is the behaviour under test.
        await server.Manager.SendToConnectionAsync(targetId, new AgentEvent("just_you"));
#pragma warning restore AGB0001
        await bridge.EmitAgentCompletedAsync("a");

        Assert.Equal([(1L, "agent_started"), (2L, "just_you"), (3L, "agent_completed")], (await target.EventsAsync(3)).Select(e => (e.Seq(), e.Type())));
        Assert.Equal([(1L, "agent_started"), (3L, "agent_completed")], (await other.EventsAsync(2)).Select(e => (e.Seq(), e.Type())));
        Assert.Empty(await other.DrainWithPingAsync());

        await other.SendTextAsync("""{"type":"resume","lastSeq":0}""");
        await other.NextOfTypeAsync("resumed");
        Assert.Equal([1L, 3L], (await other.DrainWithPingAsync()).Select(e => e.Seq()));
    }

    [SkippableFact]
    public async Task A_broadcast_reaches_every_connected_user_numbered_in_their_own_stream()
    {
        await using var server = await StartServerAsync();
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");
        await server.Factory.Create(server.Context("alice")).EmitAgentStartedAsync("a");

#pragma warning disable AGB0001 // The low-level broadcast is the behaviour under test.
        await server.Manager.BroadcastAsync(new AgentEvent("to_all"));
#pragma warning restore AGB0001

        Assert.Equal([(1L, "agent_started"), (2L, "to_all")], (await alice.EventsAsync(2)).Select(e => (e.Seq(), e.Type())));
        Assert.Equal([(1L, "to_all")], (await bob.EventsAsync(1)).Select(e => (e.Seq(), e.Type())));
        Assert.Empty(await alice.DrainWithPingAsync());
        Assert.Empty(await bob.DrainWithPingAsync());
    }

    [SkippableFact]
    public async Task The_connection_count_follows_the_users_connections_on_this_server()
    {
        await using var server = await StartServerAsync();
        var tabs = await server.ConnectManyAsync("alice", 2);
        Assert.Equal(2, server.Manager.GetConnectionCount("alice"));
        Assert.Equal(0, server.Manager.GetConnectionCount("bob"));
        await Clients.DisposeAllAsync(tabs);
        await Clients.WaitUntilAsync(() => server.Manager.GetConnectionCount("alice") == 0);

        // The user's stream goes on without connections: a new tab resumes it.
        await server.Factory.Create(server.Context("alice")).EmitAgentStartedAsync("a");
        await using var again = await server.ConnectAsync("alice");
        await again.SendTextAsync("""{"type":"resume","lastSeq":0}""");
        Assert.True((await again.NextOfTypeAsync("resumed")).GetProperty("recovered").GetBoolean());
        Assert.Single(await again.EventsAsync(1));
    }
}
