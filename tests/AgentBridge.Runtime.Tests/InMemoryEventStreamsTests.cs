using AgentBridge.Runtime.Tests.Infrastructure;
using AgentBridge.Runtime.Tests.Specification;

namespace AgentBridge.Runtime.Tests;

/// <summary>The shared contract of the event streams, run against the single-server default.</summary>
public class InMemoryEventStreamsTests : EventStreamsSpecification
{
    protected override Task<BridgeServer> StartServerAsync(Action<AgentBridgeOptions>? configure = null) => BridgeServer.StartAsync(configure);
}
