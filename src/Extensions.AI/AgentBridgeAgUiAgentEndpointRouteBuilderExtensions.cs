using AgentBridge;
using AgentBridge.AgUi;
using Microsoft.Agents.AI;
using Microsoft.AspNetCore.Routing;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the AG-UI HTTP binding for an Agent Framework agent.</summary>
public static class AgentBridgeAgUiAgentEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Serves AG-UI at <paramref name="pattern"/> for <paramref name="agent"/>: each authenticated POST of a
    /// <c>RunAgentInput</c> runs the agent on the input's conversation (<see cref="RunAgentInputExtensions.ToChatMessages"/>)
    /// and streams its run, through <see cref="AgentBridgeStreamingExtensions.WithAgentBridge(IAsyncEnumerable{AgentResponseUpdate}, AgentWebSocketBridge, string, CancellationToken)"/>,
    /// both as AG-UI events to the caller and as AgentBridge events to the signed-in user's WebSocket connections.
    /// </summary>
    /// <remarks>
    /// The input's front-end tools (<see cref="RunAgentInput.Tools"/>) are not offered to the agent; give it its tools
    /// when you build it. Authentication, validation and cancellation are those of the handler overload.
    /// </remarks>
    /// <param name="endpoints">The route builder.</param>
    /// <param name="pattern">The route, e.g. <c>/ag-ui</c>.</param>
    /// <param name="agent">The agent; one instance serves every user (each run gets a new session).</param>
    /// <param name="runOptions">Makes the options of one run from its request, e.g. from <see cref="RunAgentInput.ForwardedProps"/>.</param>
    /// <returns>A builder for conventions such as <c>RequireAuthorization</c>.</returns>
    public static IEndpointConventionBuilder MapAgentBridgeAgUi(
        this IEndpointRouteBuilder endpoints,
        string pattern,
        AIAgent agent,
        Func<AgUiRunContext, AgentRunOptions?>? runOptions = null)
    {
        ArgumentNullException.ThrowIfNull(agent);
        var agentName = string.IsNullOrWhiteSpace(agent.Name) ? "agent" : agent.Name;
        return endpoints.MapAgentBridgeAgUi(pattern, async (run, cancellationToken) =>
        {
            var updates = agent.RunStreamingAsync(run.Input.ToChatMessages(), session: null, runOptions?.Invoke(run), cancellationToken);
            await foreach (var _ in updates.WithAgentBridge(run.Bridge, agentName, cancellationToken).ConfigureAwait(false))
            {
                // The updates are on their way to the user as they pass.
            }
        });
    }
}
