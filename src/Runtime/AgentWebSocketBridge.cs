using AgentBridge.Delivery;

namespace AgentBridge;

/// <summary>
/// The per-user emitter: every event it emits goes to the connections of <see cref="UserContext"/>'s user
/// and no one else, numbered in that user's stream. Get one from <see cref="IAgentWebSocketBridgeFactory"/>.
/// </summary>
/// <remarks>
/// A bridge without a context fails closed: every emit throws <see cref="InvalidOperationException"/> and
/// sends nothing. Bridges are cheap, hold no socket and may be used from many threads at once.
/// </remarks>
public class AgentWebSocketBridge
{
    private readonly WebSocketConnectionManager _manager;

    /// <summary>
    /// Creates a bridge directly. Kept for migration: use <see cref="IAgentWebSocketBridgeFactory.Create"/>
    /// (analyzer rules AGB0003 and AGB0004).
    /// </summary>
    /// <param name="manager">The connection manager that owns the sockets.</param>
    /// <param name="userContext">Whom the events are for; without one, the bridge refuses to emit.</param>
    public AgentWebSocketBridge(WebSocketConnectionManager manager, UserExecutionContext? userContext = null)
    {
        _manager = manager ?? throw new ArgumentNullException(nameof(manager));
        UserContext = userContext;
    }

    /// <summary>Whom this bridge emits for, or <see langword="null"/> for a bridge that refuses to emit.</summary>
    public UserExecutionContext? UserContext { get; }

    /// <summary>Emits <c>agent_started</c>.</summary>
    /// <param name="agentName">The agent.</param>
    /// <param name="ct">Cancels the emit.</param>
    /// <returns>A task that completes when the event is numbered and queued for the user's connections.</returns>
    public Task EmitAgentStartedAsync(string agentName, CancellationToken ct = default) =>
        EmitCoreAsync(AgentEventTypes.AgentStarted, StandardPayloads.Started(RequireText(agentName, nameof(agentName))), ct);

    /// <summary>Emits <c>agent_thinking</c>.</summary>
    /// <param name="agentName">The agent.</param>
    /// <param name="thought">What the agent is reasoning about.</param>
    /// <param name="ct">Cancels the emit.</param>
    /// <returns>A task that completes when the event is numbered and queued for the user's connections.</returns>
    public Task EmitAgentThinkingAsync(string agentName, string thought, CancellationToken ct = default) =>
        EmitCoreAsync(
            AgentEventTypes.AgentThinking,
            StandardPayloads.Thinking(RequireText(agentName, nameof(agentName)), thought ?? throw new ArgumentNullException(nameof(thought))),
            ct);

    /// <summary>Emits <c>tool_executing</c>.</summary>
    /// <param name="agentName">The agent.</param>
    /// <param name="toolName">The tool being called.</param>
    /// <param name="arguments">The tool's arguments, serialized as JSON.</param>
    /// <param name="ct">Cancels the emit.</param>
    /// <returns>A task that completes when the event is numbered and queued for the user's connections.</returns>
    public Task EmitToolExecutingAsync(string agentName, string toolName, object? arguments = null, CancellationToken ct = default) =>
        EmitCoreAsync(
            AgentEventTypes.ToolExecuting,
            StandardPayloads.ToolExecuting(RequireText(agentName, nameof(agentName)), RequireText(toolName, nameof(toolName)), arguments),
            ct);

    /// <summary>Emits <c>tool_completed</c>.</summary>
    /// <param name="agentName">The agent.</param>
    /// <param name="toolName">The tool that finished.</param>
    /// <param name="result">The tool's result, serialized as JSON.</param>
    /// <param name="ct">Cancels the emit.</param>
    /// <returns>A task that completes when the event is numbered and queued for the user's connections.</returns>
    public Task EmitToolCompletedAsync(string agentName, string toolName, object? result = null, CancellationToken ct = default) =>
        EmitCoreAsync(
            AgentEventTypes.ToolCompleted,
            StandardPayloads.ToolCompleted(RequireText(agentName, nameof(agentName)), RequireText(toolName, nameof(toolName)), result),
            ct);

    /// <summary>Emits <c>agent_completed</c> with status <c>succeeded</c>.</summary>
    /// <param name="agentName">The agent.</param>
    /// <param name="result">The run's result, serialized as JSON.</param>
    /// <param name="ct">Cancels the emit.</param>
    /// <returns>A task that completes when the event is numbered and queued for the user's connections.</returns>
    public Task EmitAgentCompletedAsync(string agentName, object? result = null, CancellationToken ct = default) =>
        EmitAgentCompletedAsync(agentName, AgentRunStatus.Succeeded, result, error: null, ct);

    /// <summary>Emits <c>agent_completed</c> with the given status.</summary>
    /// <param name="agentName">The agent.</param>
    /// <param name="status">One of <see cref="AgentRunStatus"/>.</param>
    /// <param name="result">The run's result, serialized as JSON.</param>
    /// <param name="error">For a failed run, what went wrong, in words fit for the user.</param>
    /// <param name="ct">Cancels the emit.</param>
    /// <returns>A task that completes when the event is numbered and queued for the user's connections.</returns>
    public Task EmitAgentCompletedAsync(string agentName, string status, object? result, string? error, CancellationToken ct = default)
    {
        if (status is not (AgentRunStatus.Succeeded or AgentRunStatus.Failed or AgentRunStatus.Cancelled))
        {
            throw new ArgumentException($"'{status}' is not a run status; use one of AgentRunStatus.", nameof(status));
        }

        return EmitCoreAsync(
            AgentEventTypes.AgentCompleted,
            StandardPayloads.Completed(RequireText(agentName, nameof(agentName)), status, result, error),
            ct);
    }

    /// <summary>Emits any event to this bridge's user.</summary>
    /// <param name="agentEvent">The event.</param>
    /// <param name="ct">Cancels the emit.</param>
    /// <returns>A task that completes when the event is numbered and queued for the user's connections.</returns>
    /// <exception cref="InvalidOperationException">The bridge has no <see cref="UserContext"/>.</exception>
    /// <exception cref="ArgumentException">The event's data cannot be serialized to JSON.</exception>
    public Task EmitAsync(AgentEvent agentEvent, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(agentEvent);
        return _manager.EmitAsync(RequireContext(), agentEvent, ct);
    }

    /// <summary>
    /// Starts a run: emits <c>agent_started</c> and returns a scope that emits exactly one
    /// <c>agent_completed</c> when disposed — <c>succeeded</c> after <see cref="AgentRun.Complete"/>,
    /// <c>cancelled</c> when <paramref name="ct"/> was cancelled, <c>failed</c> otherwise.
    /// </summary>
    /// <param name="agentName">The agent.</param>
    /// <param name="ct">The run's cancellation; a cancelled run ends <c>cancelled</c>.</param>
    /// <returns>The run scope, for <c>await using</c>.</returns>
    public async Task<AgentRun> BeginRunAsync(string agentName, CancellationToken ct = default)
    {
        RequireText(agentName, nameof(agentName));
        RequireContext();
        await EmitAgentStartedAsync(agentName, ct).ConfigureAwait(false);
        return new AgentRun(this, agentName, _manager.Options.IncludeExceptionDetails, ct);
    }

    /// <summary>
    /// Runs <paramref name="body"/> as one run: <c>agent_started</c> first, then exactly one
    /// <c>agent_completed</c>: <c>succeeded</c> with the body's result, <c>cancelled</c> when it was
    /// cancelled, <c>failed</c> when it threw (the exception is rethrown).
    /// </summary>
    /// <param name="agentName">The agent.</param>
    /// <param name="body">The agent's work.</param>
    /// <param name="ct">The run's cancellation.</param>
    /// <returns>A task that completes after <c>agent_completed</c> was emitted.</returns>
    public async Task RunAsync(string agentName, Func<AgentRun, CancellationToken, Task<object?>> body, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        await using var run = await BeginRunAsync(agentName, ct).ConfigureAwait(false);
        try
        {
            run.Complete(await body(run, ct).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            run.Cancel();
            throw;
        }
        catch (Exception ex)
        {
            run.Fail(ex);
            throw;
        }
    }

    private Task EmitCoreAsync(string type, IAgentEventPayload payload, CancellationToken ct) =>
        _manager.EmitAsync(RequireContext(), new AgentEvent(type, payload), ct);

    private UserExecutionContext RequireContext() =>
        UserContext ?? throw new InvalidOperationException(
            "This AgentWebSocketBridge has no UserExecutionContext, so it does not know whose connections its events are for, and refuses to send them. " +
            "Create bridges with IAgentWebSocketBridgeFactory.Create(userContext).");

    private static string RequireText(string value, string parameterName)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException($"'{parameterName}' must not be empty.", parameterName);
        }

        return value;
    }
}
