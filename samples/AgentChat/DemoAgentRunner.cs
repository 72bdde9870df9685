using AgentBridge;
using AgentChat.Agent;

namespace AgentChat;

/// <summary>
/// Runs the demo agent in the background for <c>POST /api/runs</c>: its streamed run goes, through
/// <c>WithAgentBridge</c>, to a bridge made for the requesting user.
/// </summary>
public sealed class DemoAgentRunner
{
    private readonly DemoAgent _agent;
    private readonly IAgentWebSocketBridgeFactory _bridges;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger<DemoAgentRunner> _logger;

    /// <summary>Creates the runner.</summary>
    /// <param name="agent">The demo agent.</param>
    /// <param name="bridges">Makes one bridge per user context.</param>
    /// <param name="lifetime">Cancels runs when the app stops.</param>
    /// <param name="logger">Logs failed runs.</param>
    public DemoAgentRunner(DemoAgent agent, IAgentWebSocketBridgeFactory bridges, IHostApplicationLifetime lifetime, ILogger<DemoAgentRunner> logger)
    {
        _agent = agent;
        _bridges = bridges;
        _lifetime = lifetime;
        _logger = logger;
    }

    /// <summary>Starts a run; it ends with exactly one <c>agent_completed</c>, cancelled if the app stops first.</summary>
    /// <param name="context">Whom the run is for.</param>
    /// <param name="request">What to do.</param>
    public void Start(UserExecutionContext context, StartRunRequest request) =>
        _ = Task.Run(() => RunAsync(context, request, _lifetime.ApplicationStopping));

    private async Task RunAsync(UserExecutionContext context, StartRunRequest request, CancellationToken ct)
    {
        var bridge = _bridges.Create(context);
        try
        {
            var updates = _agent.Agent.RunStreamingAsync(request.Message, options: DemoAgent.RunOptions(request.Steps, request.DelayMs), cancellationToken: ct);
            await foreach (var _ in updates.WithAgentBridge(bridge, DemoAgent.Name, ct))
            {
                // Each update reaches the user as it passes; nothing else to do with it here.
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // WithAgentBridge has already told the user: agent_completed with status "cancelled".
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Demo run {RunId} failed.", context.RunId);
        }
    }
}
