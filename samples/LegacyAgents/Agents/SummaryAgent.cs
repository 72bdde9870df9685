using AgentBridge;
using LegacyAgents.Realtime;

namespace LegacyAgents.Agents;

/// <summary>Starts runs it never ends, and still pushes progress through the old hub.</summary>
public sealed class SummaryAgent
{
    private readonly IAgentWebSocketBridgeFactory _bridges;
    private readonly SocketHub _hub;

    public SummaryAgent(IAgentWebSocketBridgeFactory bridges, SocketHub hub)
    {
        _bridges = bridges;
        _hub = hub;
    }

    public async Task SummarizeAsync(UserExecutionContext context, Func<Task<string>> summarize, CancellationToken cancellationToken)
    {
        var bridge = _bridges.Create(context);

        // The run is dropped: its agent_completed is never sent.
        await bridge.BeginRunAsync("summary", cancellationToken);
        var summary = await summarize();
        await _hub.PushAsync(context.UserId, new { type = "summary", summary });
    }

    public async Task<string> AnswerAsync(UserExecutionContext context, Func<Task<string>> answer, CancellationToken cancellationToken)
    {
        var bridge = _bridges.Create(context);
        await bridge.EmitAgentStartedAsync("answer", cancellationToken);

        // If this throws, the user never sees agent_completed.
        var text = await answer();
        await bridge.EmitAgentCompletedAsync("answer", text, cancellationToken);
        return text;
    }
}
