using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;
using AgentBridge.Runtime.Tests.Infrastructure;
using AgentBridge.Runtime.Tests.Specification;
using AgentBridge.StackExchangeRedis.Tests.Infrastructure;

namespace AgentBridge.StackExchangeRedis.Tests;

/// <summary>Redis blinks, stops, hangs and comes back empty while two servers deliver: each test has a redis-server of its own.</summary>
public class FaultTests
{
    [SkippableFact]
    public async Task Events_flowing_while_the_pub_sub_connections_are_cut_arrive_complete_and_in_order()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var nodes = await NodePair.StartAsync(redis.Configuration);
        var (a, b) = (nodes.A, nodes.B);
        var outcome = await StreamThroughAsync(a, b, users: 8, eventsPerUser: 300, async () =>
        {
            for (var cut = 0; cut < 3; cut++)
            {
                await Task.Delay(150);
                Assert.True(await redis.KillPubSubClientsAsync() > 0);
            }
        });

        // Nothing failed, so every event was emitted: every connection got every one, live, in order.
        Assert.Equal(0, outcome.Failed);
    }

    [SkippableFact]
    public async Task Events_published_while_a_servers_subscription_is_away_arrive_when_it_is_back_even_with_nothing_after_them()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var nodes = await NodePair.StartAsync(redis.Configuration);
        var (a, b) = (nodes.A, nodes.B);
        await using var tab = await b.ConnectAsync("alice");
        var bridge = a.Factory.Create(a.Context("alice"));
        await bridge.EmitAgentStartedAsync("a");
        Assert.Equal(1, (await tab.EventsAsync(1)).Single().Seq());

        // Cut the subscriptions and keep them out (no new connection is accepted), while emits go on over the
        // connections that stay: no later event will reveal these as a gap.
        await using (var admin = await redis.OpenAdminAsync())
        {
            await admin.CommandAsync("CONFIG", "SET", "maxclients", "1");
            await admin.CommandAsync("CLIENT", "KILL", "TYPE", "pubsub");
            for (var n = 0; n < 5; n++)
            {
                await bridge.EmitAsync(Frames.Probe("alice", n));
            }

            await Task.Delay(500);
            Assert.Equal(1, tab.FramesReceived);
            await admin.CommandAsync("CONFIG", "SET", "maxclients", "10000");
        }

        Assert.Equal([2L, 3, 4, 5, 6], (await tab.EventsAsync(5, TimeSpan.FromSeconds(20))).Select(e => e.Seq()));
        Assert.Empty(await tab.DrainWithPingAsync());
    }

    [SkippableFact]
    public async Task Events_flowing_while_Redis_restarts_with_its_data_reach_every_connection_in_order_with_nothing_lost()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var nodes = await NodePair.StartAsync(redis.Configuration);
        var (a, b) = (nodes.A, nodes.B);
        var outcome = await StreamThroughAsync(a, b, users: 4, eventsPerUser: 200, async () =>
        {
            await Task.Delay(200);
            await redis.ShutdownAsync();
            await Task.Delay(300);
            await redis.StartAgainAsync();
        });

        // Emits failed while Redis was away (and were retried); none of those that succeeded is missing.
        Assert.True(outcome.Failed > 0, "Redis was never seen down: the test did not test anything.");
    }

    [SkippableFact]
    public async Task While_Redis_is_down_emits_fail_fast_connections_stay_open_and_delivery_comes_back_by_itself()
    {
        await using var redis = await RedisServer.StartAsync();
        var timeout = TimeSpan.FromSeconds(2);
        await using var nodes = await NodePair.StartAsync(redis.Configuration, redis: o => o.OperationTimeout = timeout);
        var (a, b) = (nodes.A, nodes.B);
        await using var tab = await b.ConnectAsync("alice");
        var bridge = a.Factory.Create(a.Context("alice"));
        await bridge.EmitAgentStartedAsync("a");
        Assert.Equal(1, (await tab.EventsAsync(1)).Single().Seq());

        // A Redis that does not answer: the emit gives up within the timeout.
        await redis.CommandAsync("CLIENT", "PAUSE", "6000", "ALL");
        var clock = Stopwatch.StartNew();
        await Assert.ThrowsAsync<AgentBridgeUnavailableException>(() => bridge.EmitAgentThinkingAsync("a", "paused"));
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, timeout + TimeSpan.FromSeconds(1));

        // Many emits at once, of many users, queued on the one connection behind each other: each gives up within the
        // timeout too.
        clock.Restart();
        var many = Enumerable.Range(0, 40)
            .Select(i => a.Factory.Create(a.Context("user-" + i)).EmitAgentThinkingAsync("a", "paused"))
            .ToArray();
        foreach (var emit in many)
        {
            await Assert.ThrowsAsync<AgentBridgeUnavailableException>(() => emit);
        }

        Assert.InRange(clock.Elapsed, TimeSpan.Zero, timeout + TimeSpan.FromSeconds(1));

        await redis.CommandAsync("CLIENT", "UNPAUSE");

        // A Redis that is gone: the emit fails at once, and so does a new connection (503), but open ones stay open.
        await redis.ShutdownAsync();
        clock.Restart();
        var failure = await Assert.ThrowsAsync<AgentBridgeUnavailableException>(() => bridge.EmitAgentThinkingAsync("a", "down"));
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, timeout + TimeSpan.FromSeconds(1));
        Assert.Contains("Redis", failure.Message, StringComparison.Ordinal);
        var cookies = await b.SignInAsync("bob");
        Assert.Equal(503, await EventClient.GetUpgradeStatusAsync(b.WebSocketUri, o => o.Cookies = cookies));
        Assert.Equal(WebSocketState.Open, tab.Socket.State);

        // Redis is back: the servers reconnect and subscribe again by themselves. The event that timed out may or may
        // not have been emitted (the request may have reached Redis), as AgentBridgeUnavailableException says; if it
        // was, it comes once, in its place.
        await redis.StartAgainAsync();
        await EmitWhenBackAsync(bridge, new AgentEvent("back"));
        var events = await tab.DrainUntilAsync("back");
        Assert.Equal(Enumerable.Range(2, events.Count).Select(i => (long)i), events.Select(e => e.Seq()));
        Assert.Equal(events.Count == 1 ? ["back"] : ["agent_thinking", "back"], events.Select(e => e.Type()));
        await bridge.EmitAgentCompletedAsync("a");
        Assert.Equal(events[^1].Seq() + 1, (await tab.EventsAsync(1)).Single().Seq());
        Assert.Empty(await tab.DrainWithPingAsync());
    }

    [SkippableFact]
    public async Task A_Redis_restarted_without_its_data_starts_a_new_epoch_that_live_and_resuming_clients_learn()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var nodes = await NodePair.StartAsync(redis.Configuration);
        var (a, b) = (nodes.A, nodes.B);
        await using var live = await b.ConnectAsync("alice");
        await live.SendTextAsync("""{"type":"resume","lastSeq":0}""");
        var oldEpoch = (await live.NextOfTypeAsync("resumed")).Str("epoch");
        var bridge = a.Factory.Create(a.Context("alice"));
        for (var n = 0; n < 3; n++)
        {
            await bridge.EmitAsync(Frames.Probe("alice", n));
        }

        Assert.Equal([1L, 2, 3], (await live.EventsAsync(3)).Select(e => e.Seq()));

        await redis.KillAsync();
        await redis.StartAgainAsync();

        // The live connection is told without waiting for an event of the new stream, and gets none before the close.
        Assert.Equal((WebSocketCloseStatus)AgentBridgeCloseCodes.StreamReset, await live.WaitClosedAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(0, live.FramesReceived - 4);

        // A client that resumes with the old epoch, on either server, learns that its events are gone.
        await using var resuming = await ConnectWhenBackAsync(a, "alice");
        await resuming.SendTextAsync(JsonSerializer.Serialize(new { type = "resume", lastSeq = 3, epoch = oldEpoch }));
        var resumed = await resuming.NextOfTypeAsync("resumed");
        Assert.False(resumed.GetProperty("recovered").GetBoolean());
        var newEpoch = resumed.Str("epoch");
        Assert.NotEqual(oldEpoch, newEpoch);

        // The new stream numbers from 1 again, under the new epoch.
        await EmitWhenBackAsync(bridge, new AgentEvent("fresh"));
        Assert.Equal([(1L, "fresh")], (await resuming.EventsAsync(1)).Select(e => (e.Seq(), e.Type())));
        await resuming.SendTextAsync(JsonSerializer.Serialize(new { type = "resume", lastSeq = 0, epoch = newEpoch }));
        Assert.True((await resuming.NextOfTypeAsync("resumed")).GetProperty("recovered").GetBoolean());
    }

    [SkippableFact]
    public async Task A_Redis_that_came_back_with_fewer_events_than_were_delivered_starts_a_new_epoch()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var nodes = await NodePair.StartAsync(redis.Configuration);
        var (a, b) = (nodes.A, nodes.B);
        await using var live = await b.ConnectAsync("alice");
        var bridge = a.Factory.Create(a.Context("alice"));
        await bridge.EmitAgentStartedAsync("a");
        await redis.CommandAsync("SAVE");
        await bridge.EmitAgentThinkingAsync("a", "lost with the crash");
        Assert.Equal([1L, 2], (await live.EventsAsync(2)).Select(e => e.Seq()));

        // Back from the last save: seq 2 is gone from Redis and would be given to another event.
        await redis.KillAsync(keepLastSave: true);
        await redis.StartAgainAsync();
        Assert.Equal((WebSocketCloseStatus)AgentBridgeCloseCodes.StreamReset, await live.WaitClosedAsync(TimeSpan.FromSeconds(20)));

        await using var again = await ConnectWhenBackAsync(b, "alice");
        await again.SendTextAsync("""{"type":"resume","lastSeq":2}""");
        var resumed = await again.NextOfTypeAsync("resumed");
        Assert.False(resumed.GetProperty("recovered").GetBoolean());
        Assert.Equal(0, resumed.GetProperty("lastSeq").GetInt64());
    }

    /// <summary>Connects as a client does after a close: again and again while the server answers 503.</summary>
    private static async Task<EventClient> ConnectWhenBackAsync(BridgeServer server, string user)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await server.ConnectAsync(user);
            }
            catch (WebSocketException) when (deadline.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>Emits until Redis takes the event (the servers reconnect on their own).</summary>
    private static async Task EmitWhenBackAsync(AgentWebSocketBridge bridge, AgentEvent agentEvent)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await bridge.EmitAsync(agentEvent);
                return;
            }
            catch (AgentBridgeUnavailableException) when (deadline.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>
    /// Users with a connection on each server; each user's run on server A emits events (retrying any that fail, as an
    /// agent would) until <paramref name="fault"/> has run and at least <paramref name="eventsPerUser"/> were emitted,
    /// then a last one. Checks
    /// that every connection received its user's stream without a gap, a repeat or a reorder, and every event that was
    /// emitted without an exception.
    /// </summary>
    private static async Task<(int Failed, int Emitted)> StreamThroughAsync(BridgeServer a, BridgeServer b, int users, int eventsPerUser, Func<Task> fault)
    {
        var names = Enumerable.Range(0, users).Select(u => $"user-{u}").ToArray();
        var tabs = new Dictionary<string, EventClient[]>();
        foreach (var user in names)
        {
            tabs[user] = [await a.ConnectAsync(user), await b.ConnectAsync(user)];
        }

        try
        {
            var failed = 0;
            var emitted = new Dictionary<string, List<int>>();
            var faulted = Task.Run(fault);
            var runs = names.Select(user => Task.Run(async () =>
            {
                var bridge = a.Factory.Create(a.Context(user));
                var ok = new List<int>();
                lock (emitted)
                {
                    emitted[user] = ok;
                }

                for (var n = 0; n < eventsPerUser || !faulted.IsCompleted; n++)
                {
                    while (true)
                    {
                        try
                        {
                            await bridge.EmitAsync(Frames.Probe(user, n));
                            ok.Add(n);
                            break;
                        }
                        catch (AgentBridgeUnavailableException)
                        {
                            Interlocked.Increment(ref failed);
                            await Task.Delay(50);
                        }
                    }

                    if (n % 10 == 0)
                    {
                        await Task.Delay(2);
                    }
                }

                await bridge.EmitAsync(new AgentEvent("done"));
            })).ToList();
            await Task.WhenAll(runs.Append(faulted));

            foreach (var (user, connections) in tabs)
            {
                foreach (var connection in connections)
                {
                    var events = await connection.DrainUntilAsync("done");

                    Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Seq()));
                    var received = events.Where(e => e.Type() == "probe").Select(e => e.Data().GetProperty("n").GetInt32()).ToHashSet();
                    Assert.Equal([], emitted[user].Except(received));
                    Assert.All(events.Where(e => e.Type() == "probe"), e => Assert.Equal(user, e.Data().Str("owner")));
                }
            }

            return (failed, emitted.Values.Sum(v => v.Count));
        }
        finally
        {
            await Clients.DisposeAllAsync(tabs.Values.SelectMany(t => t));
        }
    }
}
