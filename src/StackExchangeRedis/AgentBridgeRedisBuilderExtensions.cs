using AgentBridge;
using AgentBridge.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Scales AgentBridge out on Redis.</summary>
public static class AgentBridgeRedisBuilderExtensions
{
    /// <summary>
    /// Keeps the users' event streams in Redis instead of in memory, so that several servers share users: an event
    /// emitted on one server reaches the user's connections on every server, in <c>seq</c> order, and a client resumes
    /// on any server. Replaces the single-server <see cref="AgentEventStreams"/>.
    /// </summary>
    /// <param name="builder">The builder <c>AddAgentBridge</c> returned.</param>
    /// <param name="configuration">The StackExchange.Redis configuration string, e.g. <c>127.0.0.1:6379</c>.</param>
    /// <param name="configure">Sets more options.</param>
    /// <returns>The builder.</returns>
    public static IAgentBridgeBuilder AddStackExchangeRedis(this IAgentBridgeBuilder builder, string configuration, Action<AgentBridgeRedisOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration);
        return builder.AddStackExchangeRedis(options =>
        {
            options.Configuration = AgentBridgeRedisOptions.WithDefaults(ConfigurationOptions.Parse(configuration));
            configure?.Invoke(options);
        });
    }

    /// <summary>
    /// Keeps the users' event streams in Redis, configured entirely by <paramref name="configure"/> (set
    /// <see cref="AgentBridgeRedisOptions.Configuration"/> or <see cref="AgentBridgeRedisOptions.ConnectionFactory"/>).
    /// </summary>
    /// <param name="builder">The builder <c>AddAgentBridge</c> returned.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder.</returns>
    public static IAgentBridgeBuilder AddStackExchangeRedis(this IAgentBridgeBuilder builder, Action<AgentBridgeRedisOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        builder.Services.Replace(ServiceDescriptor.Singleton<AgentEventStreams>(static sp => new RedisEventStreams(
            sp.GetRequiredService<IOptions<AgentBridgeRedisOptions>>().Value,
            sp.GetRequiredService<IOptions<AgentBridgeOptions>>().Value,
            (sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger<RedisEventStreams>())));
        return builder;
    }
}
