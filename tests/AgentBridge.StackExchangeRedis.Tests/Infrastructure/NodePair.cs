using AgentBridge.Runtime.Tests.Infrastructure;

namespace AgentBridge.StackExchangeRedis.Tests.Infrastructure;

/// <summary>Two AgentBridge servers on one Redis, sharing a key prefix: the smallest deployment that scales out.</summary>
public sealed class NodePair : IAsyncDisposable
{
    private NodePair(BridgeServer a, BridgeServer b)
    {
        A = a;
        B = b;
    }

    public BridgeServer A { get; }

    public BridgeServer B { get; }

    public static async Task<NodePair> StartAsync(string configuration, Action<AgentBridgeOptions>? configure = null, Action<AgentBridgeRedisOptions>? redis = null)
    {
        var prefix = RedisNodes.NewPrefix();
        var a = await RedisNodes.StartAsync(configuration, prefix, configure, redis);
        try
        {
            return new NodePair(a, await RedisNodes.StartAsync(configuration, prefix, configure, redis));
        }
        catch
        {
            await a.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await A.DisposeAsync();
        await B.DisposeAsync();
    }
}
