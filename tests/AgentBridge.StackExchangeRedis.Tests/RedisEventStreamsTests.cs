using AgentBridge.Runtime.Tests.Infrastructure;
using AgentBridge.Runtime.Tests.Specification;
using AgentBridge.StackExchangeRedis.Tests.Infrastructure;

namespace AgentBridge.StackExchangeRedis.Tests;

/// <summary>The shared contract of the event streams, run against the Redis implementation (one node).</summary>
public class RedisEventStreamsTests(RedisFixture redis) : EventStreamsSpecification, IClassFixture<RedisFixture>
{
    protected override async Task<BridgeServer> StartServerAsync(Action<AgentBridgeOptions>? configure = null) =>
        await RedisNodes.StartAsync((await redis.ServerAsync()).Configuration, RedisNodes.NewPrefix(), configure);
}
