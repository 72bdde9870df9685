using AgentBridge.Delivery;

namespace AgentBridge;

/// <summary>
/// The per-user emitter: every event it emits goes to the connections of <see cref="UserContext"/>'s user
/// and no one else, numbered in that user's stream. Get one from <see cref="IAgentWebSocketBridgeFactory"/>.
/// </summary>
/// <remarks>
/// A bridge without a context fails closed: every emit throws <see cref="InvalidOperationException"/> and
/// sends nothing. Bridges are cheap, hold no socket and may be used from many threads at once. When the streams
/// live in a store that cannot be reached (Redis, with the scale-out), every emit throws
/// <see cref="AgentBridgeUnavailableException"/> instead of dropping the event or waiting without end.
/// </remarks>
public class AgentWebSocketBridge
{
    private readonly WebSocketConnectionManager _manager;

    // Sees every event this bridge emitted, after the user's stream took it: how one AG-UI response follows its run.
    private readonly Action<AgentEvent>? _observer;

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

    /// <summary>A bridge whose events are also handed to <paramref name="observer"/> once the user's stream has them.</summary>
    internal AgentWebSocketBridge(WebSocketConnectionManager manager, UserExecutionContext userContext, Action<AgentEvent> observer)
        : this(manager, userContext)
    {
        _observer = observer;
    }

    /// <summary>Whom this bridge emits for, or <see langword="null"/> for a bridge that refuses to emit.</summary>
    public UserExecutionContext? UserContext { get; }

    /// <summary>Emits <c>agent_started</c>.</summary>
    /// <param name="agentName">The agent.</param>
    /// <param name="cancellationToken">Cancels the emit.</param>
    /// <returns>A task that completes when the event is numbered and queued for the user's connections.</returns>
    public Task EmitAgentStartedAsync(string agentName, CancellationToken cancellationToken = default) =>
        EmitCoreAsync(AgentEventTypes.AgentStarted, StandardPayloads.Started(RequireText(agentName, nameof(agentName))), cancellationToken);

    /// <summary>Emits <c>agent_thinking</c>.</summary>
    /// <param name="agentName">The agent.</param>
    /// <param name="thought">What the agent is reasoning about.</param>
    /// <param name="cancellationToken">Cancels the emit.</param>
    /// <returns>A task that completes when the event is numbered and queued for the user's connections.</returns>
    public Task EmitAgentThinkingAsync(string agentName, string thought, CancellationToken cancellationToken = default) =>
        EmitCoreAsync(
            AgentEventTypes.AgentThinking,
            StandardPayloads.Thinking(RequireText(agentName, nameof(agentName)), thought ?? throw new ArgumentNullException(nameof(thought))),
            cancellationToken);

    /// <summary>
    /// Emits <c>tool_executing</c> without a call id. Prefer the overload that takes a <c>toolCallId</c>, or the run
    /// scope of <see cref="BeginRunAsync"/>, which gives every call one, when calls of one tool may overlap.
    /// </summary>
    /// <param name="agentName">The agent.</param>
    /// <param name="toolName">The tool being called.</param>
    /// <param name="arguments">The tool's arguments, serialized as JSON.</param>
    /// <param name="cancellationToken">Cancels the emit.</param>
    /// <returns>A task that completes when the event is numbered and queued for the user's connections.</returns>
    public Task EmitToolExecutingAsync(string agentName, string toolName, object? arguments = null, CancellationToken cancellationToken = default) =>
        EmitToolExecutingAsync(agentName, toolName, arguments, toolCallId: null, cancellationToken);

    /// <summary>Emits <c>tool_executing</c> for one identified call, so that its <c>tool_completed</c> pairs with it exactly.</summary>
    /// <param name="agentName">The agent.</param>
    /// <param name="toolName">The tool being called.</param>
    /// <param name="arguments">The tool's arguments, serialized as JSON.</param>
    /// <param name="toolCallId">The call's id, repeated by its <c>tool_completed</c>; <see langword="null"/> leaves it out
    /// (consumers then pair the calls of one tool in order).</param>
    /// <param name="cancellationToken">Cancels the emit.</param>
    /// <returns>A task that completes when the event is numbered and queued for the user's connections.</returns>
    public Task EmitToolExecutingAsync(string agentName, string toolName, object? arguments, string? toolCallId, CancellationToken cancellationToken = default) =>
        EmitCoreAsync(
            AgentEventTypes.ToolExecuting,
            StandardPayloads.ToolExecuting(RequireText(agentName, nameof(agentName)), RequireText(toolName, nameof(toolName)), OptionalId(toolCallId, nameof(toolCallId)), arguments),
            cancellationToken);

    /// <summary>Emits <c>tool_completed</c> without a call id (see <see cref="EmitToolExecutingAsync(string, string, object?, CancellationToken)"/>).</summary>
    /// <param name="agentName">The agent.</param>
    /// <param name="toolName">The tool that finished.</param>
    /// <param name="result">The tool's result, serialized as JSON.</param>
    /// <param name="cancellationToken">Cancels the emit.</param>
    /// <returns>A task that completes when the event is numbered and queued for the user's connections.</returns>
    public Task EmitToolCompletedAsync(string agentName, string toolName, object? result = null, CancellationToken cancellationToken = default) =>
        EmitToolCompletedAsync(agentName, toolName, result, toolCallId: null, cancellationToken);

    /// <summary>Emits <c>tool_completed</c> for the call that <paramref name="toolCallId"/> names.</summary>
    /// <param name="agentName">The agent.</param>
    /// <param name="toolName">The tool that finished.</param>
    /// <param name="result">The tool's result, serialized as JSON.</param>
    /// <param name="toolCallId">The id its <c>tool_executing</c> carried; <see langword="null"/> leaves it out.</param>
    /// <param name="cancellationToken">Cancels the emit.</param>
    /// <returns>A task that completes when the event is numbered and queued for the user's connections.</returns>
    public Task EmitToolCompletedAsync(string agentName, string toolName, object? result, string? toolCallId, CancellationToken cancellationToken = default) =>
        EmitCoreAsync(
            AgentEventTypes.ToolCompleted,
            StandardPayloads.ToolCompleted(RequireText(agentName, nameof(agentName)), RequireText(toolName, nameof(toolName)), OptionalId(toolCallId, nameof(toolCallId)), result),
            cancellationToken);

    /// <summary>Emits <c>agent_message</c>: the next piece of the agent's answer text.</summary>
    /// <param name="agentName">The agent.</param>
    /// <param name="messageId">The answer the piece belongs to; every delta of one answer carries the same id.</param>
    /// <param name="delta">The new text, appended to what came before (may be empty).</param>
    /// <param name="cancellationToken">Cancels the emit.</param>
    /// <returns>A task that completes when the event is numbered and queued for the user's connections.</returns>
    public Task EmitAgentMessageAsync(string agentName, string messageId, string delta, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(delta);
        return EmitCoreAsync(
            AgentEventTypes.AgentMessage,
            StandardPayloads.Message(RequireText(agentName, nameof(agentName)), RequireText(messageId, nameof(messageId)), delta),
            cancellationToken);
    }

    /// <summary>Emits <c>agent_completed</c> with status <c>succeeded</c>.</summary>
    /// <param name="agentName">The agent.</param>
    /// <param name="result">The run's result, serialized as JSON.</param>
    /// <param name="cancellationToken">Cancels the emit.</param>
    /// <returns>A task that completes when the event is numbered and queued for the user's connections.</returns>
    public Task EmitAgentCompletedAsync(string agentName, object? result = null, CancellationToken cancellationToken = default) =>
        EmitAgentCompletedAsync(agentName, AgentRunStatus.Succeeded, result, error: null, cancellationToken);

    /// <summary>Emits <c>agent_completed</c> with the given status.</summary>
    /// <param name="agentName">The agent.</param>
    /// <param name="status">One of <see cref="AgentRunStatus"/>.</param>
    /// <param name="result">The run's result, serialized as JSON.</param>
    /// <param name="error">For a failed run, what went wrong, in words fit for the user.</param>
    /// <param name="cancellationToken">Cancels the emit.</param>
    /// <returns>A task that completes when the event is numbered and queued for the user's connections.</returns>
    public Task EmitAgentCompletedAsync(string agentName, string status, object? result, string? error, CancellationToken cancellationToken = default)
    {
        if (status is not (AgentRunStatus.Succeeded or AgentRunStatus.Failed or AgentRunStatus.Cancelled))
        {
            throw new ArgumentException($"'{status}' is not a run status; use one of AgentRunStatus.", nameof(status));
        }

        return EmitCoreAsync(
            AgentEventTypes.AgentCompleted,
            StandardPayloads.Completed(RequireText(agentName, nameof(agentName)), status, result, error),
            cancellationToken);
    }

    /// <summary>Emits any event to this bridge's user.</summary>
    /// <param name="agentEvent">The event.</param>
    /// <param name="cancellationToken">Cancels the emit.</param>
    /// <returns>A task that completes when the event is numbered and queued for the user's connections.</returns>
    /// <exception cref="InvalidOperationException">The bridge has no <see cref="UserContext"/>.</exception>
    /// <exception cref="ArgumentException">The event's data cannot be serialized to JSON.</exception>
    public Task EmitAsync(AgentEvent agentEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agentEvent);
        return EmitObservedAsync(agentEvent, cancellationToken);
    }

    /// <summary>
    /// Starts a run: emits <c>agent_started</c> and returns a scope that emits exactly one
    /// <c>agent_completed</c> when disposed — <c>succeeded</c> after <see cref="AgentRun.Complete"/>,
    /// <c>cancelled</c> when <paramref name="cancellationToken"/> was cancelled, <c>failed</c> otherwise.
    /// </summary>
    /// <param name="agentName">The agent.</param>
    /// <param name="cancellationToken">The run's cancellation; a cancelled run ends <c>cancelled</c>.</param>
    /// <returns>The run scope, for <c>await using</c>.</returns>
    public async Task<AgentRun> BeginRunAsync(string agentName, CancellationToken cancellationToken = default)
    {
        RequireText(agentName, nameof(agentName));
        RequireContext();
        await EmitAgentStartedAsync(agentName, cancellationToken).ConfigureAwait(false);
        return new AgentRun(this, agentName, _manager.Options.IncludeExceptionDetails, cancellationToken);
    }

    /// <summary>
    /// Runs <paramref name="body"/> as one run: <c>agent_started</c> first, then exactly one
    /// <c>agent_completed</c>: <c>succeeded</c> with the body's result, <c>cancelled</c> when it was
    /// cancelled, <c>failed</c> when it threw (the exception is rethrown).
    /// </summary>
    /// <param name="agentName">The agent.</param>
    /// <param name="body">The agent's work.</param>
    /// <param name="cancellationToken">The run's cancellation.</param>
    /// <returns>A task that completes after <c>agent_completed</c> was emitted.</returns>
    public async Task RunAsync(string agentName, Func<AgentRun, CancellationToken, Task<object?>> body, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        await using var run = await BeginRunAsync(agentName, cancellationToken).ConfigureAwait(false);
        try
        {
            run.Complete(await body(run, cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
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

    private Task EmitCoreAsync(string type, IAgentEventPayload payload, CancellationToken cancellationToken) =>
        EmitObservedAsync(new AgentEvent(type, payload), cancellationToken);

    private Task EmitObservedAsync(AgentEvent agentEvent, CancellationToken cancellationToken)
    {
        var emitted = _manager.EmitAsync(RequireContext(), agentEvent, cancellationToken);
        if (_observer is null)
        {
            return emitted;
        }

        if (emitted.IsCompletedSuccessfully)
        {
            _observer(agentEvent);
            return emitted;
        }

        return ObserveWhenEmittedAsync(emitted, agentEvent);
    }

    private async Task ObserveWhenEmittedAsync(Task emitted, AgentEvent agentEvent)
    {
        await emitted.ConfigureAwait(false);
        _observer!(agentEvent);
    }

    private UserExecutionContext RequireContext() =>
        UserContext ?? throw new InvalidOperationException(
            "This AgentWebSocketBridge has no UserExecutionContext, so it does not know whose connections its events are for, and refuses to send them. " +
            "Create bridges with IAgentWebSocketBridgeFactory.Create(userContext).");

    private static string RequireText(string value, string parameterName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value, parameterName);
        return value;
    }

    private static string? OptionalId(string? value, string parameterName)
    {
        if (value is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(value, parameterName);
        }

        return value;
    }
}
