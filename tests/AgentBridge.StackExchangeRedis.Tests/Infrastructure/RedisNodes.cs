using AgentBridge.Runtime.Tests.Infrastructure;
using AgentBridge.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection;

namespace AgentBridge.StackExchangeRedis.Tests.Infrastructure;

/// <summary>Starts AgentBridge servers ("nodes") that share users through one Redis.</summary>
public static class RedisNodes
{
    /// <summary>A key prefix of its own for a test, so that tests sharing a redis-server never see each other's users.</summary>
    public static string NewPrefix() => "t" + Guid.NewGuid().ToString("N")[..10];

    public static Task<BridgeServer> StartAsync(string configuration, string prefix, Action<AgentBridgeOptions>? configure = null, Action<AgentBridgeRedisOptions>? redis = null) =>
        BridgeServer.StartAsync(configure, services => services.AddAgentBridge().AddStackExchangeRedis(configuration, options =>
        {
            options.Prefix = prefix;

            options.Configuration.ConnectTimeout = 2000;
            redis?.Invoke(options);
        }));
}
