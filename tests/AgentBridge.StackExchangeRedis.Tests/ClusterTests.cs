using AgentBridge.Runtime.Tests.Infrastructure;
using AgentBridge.Runtime.Tests.Specification;
using AgentBridge.StackExchangeRedis.Tests.Infrastructure;

namespace AgentBridge.StackExchangeRedis.Tests;

/// <summary>Two servers on a Redis Cluster of three masters: each user's keys and channel on the user's own shard.</summary>
public class ClusterTests
{
    [SkippableFact]
    public async Task On_a_three_master_cluster_every_user_gets_exactly_their_events_in_order_on_both_servers()
    {
        const int Users = 30, EventsPerRun = 10;
        await using var cluster = await RedisCluster.StartAsync();
        await using var nodes = await NodePair.StartAsync(cluster.Configuration);
        var (a, b) = (nodes.A, nodes.B);
        var users = Enumerable.Range(0, Users).Select(u => $"user-{u}").ToArray();
        var tabs = new Dictionary<string, EventClient[]>();
        foreach (var user in users)
        {
            tabs[user] = [await a.ConnectAsync(user), await b.ConnectAsync(user)];
        }

        try
        {
            await Task.WhenAll(users.SelectMany(user => new[] { ScaleOutTests.EmitRunAsync(a, user, "A", EventsPerRun), ScaleOutTests.EmitRunAsync(b, user, "B", EventsPerRun) }));
            foreach (var (user, connections) in tabs)
            {
                foreach (var connection in connections)
                {
                    var events = await connection.EventsAsync(2 * EventsPerRun);
                    Assert.All(events, e => Assert.Equal(user, e.Data().Str("owner")));
                    Assert.Equal(Enumerable.Range(1, 2 * EventsPerRun).Select(i => (long)i), events.Select(e => e.Seq()));
                    Assert.Empty(await connection.DrainWithPingAsync());
                }
            }

            // The users' streams are spread over every master, and their channels are sharded channels there.
            foreach (var master in cluster.Masters)
            {
                Assert.True(long.Parse((await master.CommandAsync("DBSIZE")).TrimStart(':'), System.Globalization.CultureInfo.InvariantCulture) > 0);
            }

            var shardChannels = 0;
            foreach (var master in cluster.Masters)
            {
                shardChannels += (await master.CommandAsync("PUBSUB", "SHARDCHANNELS")) is var reply && reply.StartsWith('*')
                    ? int.Parse(reply.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture)
                    : 0;
            }

            Assert.Equal(Users, shardChannels);
        }
        finally
        {
            await Clients.DisposeAllAsync(tabs.Values.SelectMany(t => t));
        }
    }
}
