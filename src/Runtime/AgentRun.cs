namespace AgentBridge;

/// <summary>
/// One agent run, started by <see cref="AgentWebSocketBridge.BeginRunAsync"/>. Disposing it emits exactly one
/// <c>agent_completed</c>, on every path: <c>succeeded</c> after <see cref="Complete"/>, <c>cancelled</c>
/// after <see cref="Cancel"/> or when the run's token was cancelled, and <c>failed</c> otherwise — including
/// an exception that left the <c>await using</c> block before <see cref="Complete"/> was reached.
/// </summary>
public sealed class AgentRun : IAsyncDisposable
{
    private const string GenericError = "The agent run failed.";
    private readonly bool _includeExceptionDetails;
    private readonly CancellationToken _runToken;
    private string? _status;
    private object? _result;
    private string? _error;
    private readonly List<(string ToolName, string Id)> _openCalls = [];
    private int _disposed;

    internal AgentRun(AgentWebSocketBridge bridge, string agentName, bool includeExceptionDetails, CancellationToken runToken)
    {
        Bridge = bridge;
        AgentName = agentName;
        _includeExceptionDetails = includeExceptionDetails;
        _runToken = runToken;
    }

    /// <summary>The bridge the run emits through.</summary>
    public AgentWebSocketBridge Bridge { get; }

    /// <summary>The agent's name, carried by every event of the run.</summary>
    public string AgentName { get; }

    /// <summary>Emits <c>agent_thinking</c> for this run.</summary>
    /// <param name="thought">What the agent is reasoning about.</param>
    /// <param name="cancellationToken">Cancels the emit.</param>
    /// <returns>A task that completes when the event is queued.</returns>
    public Task ThinkingAsync(string thought, CancellationToken cancellationToken = default) => Bridge.EmitAgentThinkingAsync(AgentName, thought, cancellationToken);

    /// <summary>
    /// The id of the run's answer: every <see cref="MessageAsync(string, CancellationToken)"/> delta carries it, so a
    /// client appends them into one message.
    /// </summary>
    public string MessageId { get; } = NewId("msg");

    /// <summary>Emits <c>tool_executing</c> for this run, with a new call id.</summary>
    /// <param name="toolName">The tool.</param>
    /// <param name="arguments">Its arguments.</param>
    /// <param name="cancellationToken">Cancels the emit.</param>
    /// <returns>The call's id. <see cref="ToolCompletedAsync(string, object?, CancellationToken)"/> finds it by the tool's
    /// name (the oldest open call of that tool); pass it to <see cref="ToolCompletedAsync(string, object?, string?, CancellationToken)"/>
    /// when calls of one tool overlap.</returns>
    public Task<string> ToolExecutingAsync(string toolName, object? arguments = null, CancellationToken cancellationToken = default) =>
        ToolExecutingAsync(toolName, arguments, toolCallId: null, cancellationToken);

    /// <summary>Emits <c>tool_executing</c> for this run.</summary>
    /// <param name="toolName">The tool.</param>
    /// <param name="arguments">Its arguments.</param>
    /// <param name="toolCallId">The call's id (a model's own call id, say), or <see langword="null"/> for a new one.</param>
    /// <param name="cancellationToken">Cancels the emit.</param>
    /// <returns>The call's id.</returns>
    public async Task<string> ToolExecutingAsync(string toolName, object? arguments, string? toolCallId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(toolName);
        var id = toolCallId ?? NewId("call");
        lock (_openCalls)
        {
            _openCalls.Add((toolName, id));
        }

        try
        {
            await Bridge.EmitToolExecutingAsync(AgentName, toolName, arguments, id, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Close(toolName, id);
            throw;
        }

        return id;
    }

    /// <summary>
    /// Emits <c>tool_completed</c> for the oldest open call of <paramref name="toolName"/> in this run (a call that
    /// was never announced gets a new id).
    /// </summary>
    /// <param name="toolName">The tool.</param>
    /// <param name="result">Its result.</param>
    /// <param name="cancellationToken">Cancels the emit.</param>
    /// <returns>A task that completes when the event is queued.</returns>
    public Task ToolCompletedAsync(string toolName, object? result = null, CancellationToken cancellationToken = default) =>
        ToolCompletedAsync(toolName, result, toolCallId: null, cancellationToken);

    /// <summary>Emits <c>tool_completed</c> for the call <paramref name="toolCallId"/> names.</summary>
    /// <param name="toolName">The tool.</param>
    /// <param name="result">Its result.</param>
    /// <param name="toolCallId">The id <see cref="ToolExecutingAsync(string, object?, string?, CancellationToken)"/> returned,
    /// or <see langword="null"/> for the oldest open call of the tool.</param>
    /// <param name="cancellationToken">Cancels the emit.</param>
    /// <returns>A task that completes when the event is queued.</returns>
    public Task ToolCompletedAsync(string toolName, object? result, string? toolCallId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(toolName);
        var id = Close(toolName, toolCallId) ?? toolCallId ?? NewId("call");
        return Bridge.EmitToolCompletedAsync(AgentName, toolName, result, id, cancellationToken);
    }

    /// <summary>Emits <c>agent_message</c>: the next piece of the run's answer, under <see cref="MessageId"/>.</summary>
    /// <param name="delta">The new text.</param>
    /// <param name="cancellationToken">Cancels the emit.</param>
    /// <returns>A task that completes when the event is queued.</returns>
    public Task MessageAsync(string delta, CancellationToken cancellationToken = default) =>
        Bridge.EmitAgentMessageAsync(AgentName, MessageId, delta, cancellationToken);

    /// <summary>Emits <c>agent_message</c> for an answer of its own, when a run gives more than one.</summary>
    /// <param name="delta">The new text.</param>
    /// <param name="messageId">The answer the text belongs to.</param>
    /// <param name="cancellationToken">Cancels the emit.</param>
    /// <returns>A task that completes when the event is queued.</returns>
    public Task MessageAsync(string delta, string messageId, CancellationToken cancellationToken = default) =>
        Bridge.EmitAgentMessageAsync(AgentName, messageId, delta, cancellationToken);

    /// <summary>Marks the run succeeded; <paramref name="result"/> goes into <c>agent_completed</c>.</summary>
    /// <param name="result">The run's result.</param>
    public void Complete(object? result = null) => Settle(AgentRunStatus.Succeeded, result, error: null);

    /// <summary>Marks the run failed.</summary>
    /// <param name="exception">What went wrong. Its message is sent only when
    /// <see cref="AgentBridgeOptions.IncludeExceptionDetails"/> is on.</param>
    public void Fail(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        Settle(AgentRunStatus.Failed, result: null, _includeExceptionDetails ? exception.Message : GenericError);
    }

    /// <summary>Marks the run failed with a message fit for the user.</summary>
    /// <param name="error">What went wrong.</param>
    public void Fail(string error) => Settle(AgentRunStatus.Failed, result: null, string.IsNullOrWhiteSpace(error) ? GenericError : error);

    /// <summary>Marks the run cancelled.</summary>
    public void Cancel() => Settle(AgentRunStatus.Cancelled, result: null, error: null);

    /// <summary>Emits the run's one <c>agent_completed</c>. Later calls do nothing.</summary>
    /// <returns>A task that completes when the event is queued.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        var status = _status;
        var error = _error;
        if (status is null)
        {
            status = _runToken.IsCancellationRequested ? AgentRunStatus.Cancelled : AgentRunStatus.Failed;
            error = status == AgentRunStatus.Failed ? GenericError : null;
        }

        // Never the run's own token: a cancelled run must still tell its user that it ended.
        await Bridge.EmitAgentCompletedAsync(AgentName, status, _result, error, CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>Forgets an open call: the one named <paramref name="toolCallId"/>, or the tool's oldest. Returns its id.</summary>
    private string? Close(string toolName, string? toolCallId)
    {
        lock (_openCalls)
        {
            var index = _openCalls.FindIndex(c => toolCallId is null
                ? string.Equals(c.ToolName, toolName, StringComparison.Ordinal)
                : string.Equals(c.Id, toolCallId, StringComparison.Ordinal));
            if (index < 0)
            {
                return null;
            }

            var id = _openCalls[index].Id;
            _openCalls.RemoveAt(index);
            return id;
        }
    }

    private static string NewId(string prefix) => prefix + "_" + Guid.NewGuid().ToString("N");

    private void Settle(string status, object? result, string? error)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            throw new InvalidOperationException("The run has already ended.");
        }

        // The first outcome wins: a Complete after a Fail does not turn a failure into a success.
        if (Interlocked.CompareExchange(ref _status, status, null) is null)
        {
            _result = result;
            _error = error;
        }
    }
}
