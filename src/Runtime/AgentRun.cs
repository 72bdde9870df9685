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
    /// <param name="ct">Cancels the emit.</param>
    /// <returns>A task that completes when the event is queued.</returns>
    public Task ThinkingAsync(string thought, CancellationToken ct = default) => Bridge.EmitAgentThinkingAsync(AgentName, thought, ct);

    /// <summary>Emits <c>tool_executing</c> for this run.</summary>
    /// <param name="toolName">The tool.</param>
    /// <param name="arguments">Its arguments.</param>
    /// <param name="ct">Cancels the emit.</param>
    /// <returns>A task that completes when the event is queued.</returns>
    public Task ToolExecutingAsync(string toolName, object? arguments = null, CancellationToken ct = default) =>
        Bridge.EmitToolExecutingAsync(AgentName, toolName, arguments, ct);

    /// <summary>Emits <c>tool_completed</c> for this run.</summary>
    /// <param name="toolName">The tool.</param>
    /// <param name="result">Its result.</param>
    /// <param name="ct">Cancels the emit.</param>
    /// <returns>A task that completes when the event is queued.</returns>
    public Task ToolCompletedAsync(string toolName, object? result = null, CancellationToken ct = default) =>
        Bridge.EmitToolCompletedAsync(AgentName, toolName, result, ct);

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
