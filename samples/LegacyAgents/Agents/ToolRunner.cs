using AgentBridge;

namespace LegacyAgents.Agents;

/// <summary>Creates a bridge per tool call, but forgets whom it is for.</summary>
public sealed class ToolRunner
{
    private readonly WebSocketConnectionManager _manager;

    public ToolRunner(WebSocketConnectionManager manager)
    {
        _manager = manager;
    }

    public async Task<object?> RunToolAsync(UserExecutionContext context, string toolName, Func<Task<object?>> tool)
    {
        var bridge = new AgentWebSocketBridge(_manager);
        await bridge.EmitToolExecutingAsync("tools", toolName);
        var result = await tool();
        await bridge.EmitToolCompletedAsync("tools", toolName, result);
        return result;
    }

    public Task AnnounceMaintenanceAsync() =>
        _manager.BroadcastAsync(new AgentEvent("maintenance", new { minutes = 5 }));
}
