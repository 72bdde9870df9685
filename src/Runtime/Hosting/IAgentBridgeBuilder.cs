using Microsoft.Extensions.DependencyInjection;

namespace AgentBridge;

/// <summary>
/// Returned by <c>AddAgentBridge</c> to configure AgentBridge further, e.g. <c>.AddStackExchangeRedis(...)</c>
/// (the way <c>AddSignalR</c> returns <c>ISignalRServerBuilder</c>).
/// </summary>
public interface IAgentBridgeBuilder
{
    /// <summary>The service collection AgentBridge is registered in.</summary>
    IServiceCollection Services { get; }
}
