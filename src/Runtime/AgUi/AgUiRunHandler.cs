namespace AgentBridge.AgUi;

/// <summary>
/// Runs the agent for one AG-UI request, emitting through <see cref="AgUiRunContext.Bridge"/> (with
/// <c>BeginRunAsync</c>, <c>RunAsync</c> or the <c>WithAgentBridge</c> of <c>AgentBridge.Extensions.AI</c>).
/// </summary>
/// <param name="run">The request's input and its bridge.</param>
/// <param name="cancellationToken">Cancelled when the client goes away or the app stops.</param>
/// <returns>A task that completes when the run is over.</returns>
public delegate Task AgUiRunHandler(AgUiRunContext run, CancellationToken cancellationToken);
