using System.Diagnostics.Metrics;
using AgentBridge;
using AgentBridge.Delivery;
using AgentBridge.Diagnostics;
using AgentBridge.Transport;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers AgentBridge in a service collection.</summary>
public static class AgentBridgeServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="WebSocketConnectionManager"/>, <see cref="IAgentWebSocketBridgeFactory"/> and
    /// <see cref="AgentRegistry"/> as singletons (none holds per-user state outside its per-user maps),
    /// and the default <see cref="IAgentBridgeUserIdProvider"/>. Safe to call more than once: services are
    /// added once, and every <paramref name="configure"/> is applied.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets options.</param>
    /// <returns>A builder to configure AgentBridge further (its <see cref="IAgentBridgeBuilder.Services"/> goes on with the collection).</returns>
    public static IAgentBridgeBuilder AddAgentBridge(this IServiceCollection services, Action<AgentBridgeOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<AgentBridgeOptions>();
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddSingleton<IAgentBridgeUserIdProvider, DefaultAgentBridgeUserIdProvider>();
        services.TryAddSingleton(static sp => new AgentBridgeMetrics(sp.GetService<IMeterFactory>()));
        // The seam for where the users' streams live: in memory by default; AddStackExchangeRedis replaces it.
        services.TryAddSingleton<AgentEventStreams>(static sp => new InMemoryEventStreams(
            sp.GetRequiredService<IOptions<AgentBridgeOptions>>().Value,
            sp.GetRequiredService<AgentBridgeMetrics>(),
            (sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger<WebSocketConnectionManager>(),
            sp.GetService<TimeProvider>() ?? TimeProvider.System));
        services.TryAddSingleton(static sp => new WebSocketConnectionManager(
            sp.GetRequiredService<IOptions<AgentBridgeOptions>>(),
            sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance,
            sp.GetRequiredService<AgentBridgeMetrics>(),
            sp.GetService<TimeProvider>() ?? TimeProvider.System,
            sp.GetRequiredService<AgentEventStreams>()));
        services.TryAddSingleton<IAgentWebSocketBridgeFactory, AgentWebSocketBridgeFactory>();
        services.TryAddSingleton(static sp => new AgentRegistry(
            sp.GetRequiredService<IOptions<AgentBridgeOptions>>().Value,
            sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance,
            sp.GetRequiredService<AgentBridgeMetrics>(),
            sp.GetService<TimeProvider>() ?? TimeProvider.System,
            sp.GetRequiredService<WebSocketConnectionManager>()));
        services.TryAddSingleton<AgentBridgeEndpoint>();
        if (!services.Any(d => d.ServiceType == typeof(AgentBridgeShutdown)))
        {
            services.AddSingleton<AgentBridgeShutdown>();
            services.AddHostedService(static sp => sp.GetRequiredService<AgentBridgeShutdown>());
        }
        return new AgentBridgeBuilder(services);
    }

    private sealed class AgentBridgeBuilder(IServiceCollection services) : IAgentBridgeBuilder
    {
        public IServiceCollection Services { get; } = services;
    }
}
