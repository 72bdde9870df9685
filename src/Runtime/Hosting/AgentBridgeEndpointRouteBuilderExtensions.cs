using AgentBridge.Transport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the AgentBridge event socket.</summary>
public static class AgentBridgeEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the event socket at <paramref name="pattern"/>. Only authenticated users may connect (401 before
    /// the upgrade otherwise); each connection receives its own user's events. WebSockets are enabled for
    /// this endpoint, so <c>app.UseWebSockets()</c> is not needed.
    /// </summary>
    /// <param name="endpoints">The route builder.</param>
    /// <param name="pattern">The route, e.g. <c>/agent-events</c>.</param>
    /// <returns>A builder for conventions such as <c>RequireAuthorization</c>.</returns>
    /// <exception cref="InvalidOperationException"><c>AddAgentBridge</c> was not called.</exception>
    public static IEndpointConventionBuilder MapAgentBridge(this IEndpointRouteBuilder endpoints, string pattern)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        var endpoint = endpoints.ServiceProvider.GetService<AgentBridgeEndpoint>()
            ?? throw new InvalidOperationException("AgentBridge is not registered: call services.AddAgentBridge() before app.MapAgentBridge(...).");

        // The socket needs the WebSockets middleware; running it only for this endpoint spares the user a
        // global UseWebSockets() and keeps it away from the rest of the app (SignalR's MapHub does the same).
        var pipeline = endpoints.CreateApplicationBuilder();
        pipeline.UseWebSockets();
        pipeline.Run(endpoint.HandleAsync);
        return endpoints.Map(pattern, pipeline.Build()).WithDisplayName("AgentBridge " + pattern);
    }
}
