using AgentBridge;

namespace LegacyAgents.Agents;

/// <summary>Builds its bridges itself, with the right context, but without the factory.</summary>
public sealed class ReportAgent
{
    private readonly WebSocketConnectionManager _manager;

    public ReportAgent(WebSocketConnectionManager manager)
    {
        _manager = manager;
    }

    public async Task WriteReportAsync(UserExecutionContext context, CancellationToken ct)
    {
        await using var run = await new AgentWebSocketBridge(_manager, context).BeginRunAsync("report", ct);
        await run.ThinkingAsync("collecting the numbers", ct);
        run.Complete(new { pages = 3 });
    }
}
