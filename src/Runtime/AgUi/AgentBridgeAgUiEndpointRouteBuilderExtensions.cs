using AgentBridge;
using AgentBridge.AgUi;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the AG-UI HTTP binding over AgentBridge.</summary>
public static class AgentBridgeAgUiEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Serves AG-UI at <paramref name="pattern"/>: a POST of an AG-UI <c>RunAgentInput</c> (JSON) from a signed-in user
    /// is answered by <c>text/event-stream</c> of AG-UI 1.0 events. <paramref name="handler"/> runs the agent with a
    /// bridge made for the signed-in user's context (the user comes from the principal through
    /// <see cref="IAgentBridgeUserIdProvider"/>; the input's thread and run ids only name the thread and the run), so
    /// the run also reaches the user's WebSocket connections, numbered in the user's stream.
    /// </summary>
    /// <remarks>
    /// Without an authenticated user the answer is 401 before the body is read; a body that is not a valid
    /// <c>RunAgentInput</c> gets a 400 problem response (415 when it is not JSON, 413 when it is over 4 MiB) and nothing
    /// is started. The client going away, or the app stopping, cancels the run.
    /// </remarks>
    /// <param name="endpoints">The route builder.</param>
    /// <param name="pattern">The route, e.g. <c>/ag-ui</c>.</param>
    /// <param name="handler">Runs the agent for one request.</param>
    /// <returns>A builder for conventions such as <c>RequireAuthorization</c> or <c>RequireCors</c>.</returns>
    /// <exception cref="InvalidOperationException"><c>AddAgentBridge</c> was not called.</exception>
    public static IEndpointConventionBuilder MapAgentBridgeAgUi(this IEndpointRouteBuilder endpoints, string pattern, AgUiRunHandler handler)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        ArgumentNullException.ThrowIfNull(handler);
        var services = endpoints.ServiceProvider;
        var manager = services.GetService<WebSocketConnectionManager>()
            ?? throw new InvalidOperationException("AgentBridge is not registered: call services.AddAgentBridge() before app.MapAgentBridgeAgUi(...).");
        var endpoint = new AgUiEndpoint(
            manager,
            services.GetRequiredService<IAgentBridgeUserIdProvider>(),
            services.GetService<IHostApplicationLifetime>(),
            services.GetService<TimeProvider>() ?? TimeProvider.System,
            (services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger("AgentBridge.AgUi"),
            handler);
        return endpoints.MapPost(pattern, endpoint.HandleAsync).WithDisplayName("AgentBridge AG-UI " + pattern);
    }
}
