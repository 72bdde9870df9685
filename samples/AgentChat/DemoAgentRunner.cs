using AgentBridge;

namespace AgentChat;

/// <summary>Runs the demo agent in the background, emitting through a bridge made for the requesting user.</summary>
public sealed class DemoAgentRunner
{
    private const string AgentName = "demo-agent";
    private readonly IAgentWebSocketBridgeFactory _bridges;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger<DemoAgentRunner> _logger;

    /// <summary>Creates the runner.</summary>
    /// <param name="bridges">Makes one bridge per user context.</param>
    /// <param name="lifetime">Cancels runs when the app stops.</param>
    /// <param name="logger">Logs failed runs.</param>
    public DemoAgentRunner(IAgentWebSocketBridgeFactory bridges, IHostApplicationLifetime lifetime, ILogger<DemoAgentRunner> logger)
    {
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
            await using var run = await bridge.BeginRunAsync(AgentName, ct);
            for (var step = 1; step <= request.Steps; step++)
            {
                await run.ThinkingAsync($"Step {step} of {request.Steps}: working on \"{request.Message}\"", ct);
                await Task.Delay(request.DelayMs, ct);
                await run.ToolExecutingAsync("search", new { query = request.Message, step }, ct);
                await Task.Delay(request.DelayMs, ct);
                await run.ToolCompletedAsync("search", new { step, hits = step * 3 }, ct);
            }

            run.Complete(new { answer = $"Done: {request.Steps} steps on \"{request.Message}\"." });
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The run scope has already told the user: agent_completed with status "cancelled".
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Demo run {RunId} failed.", context.RunId);
        }
    }
}
