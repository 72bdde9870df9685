using System.Text;
using Microsoft.Extensions.AI;

namespace AgentBridge;

/// <summary>
/// The events of one streamed run: the contents of each update become AgentBridge events of one <see cref="AgentRun"/>,
/// which guarantees the run's single <c>agent_completed</c>.
/// </summary>
internal sealed class UpdateEmitter : IAsyncDisposable
{
    private const string UnknownTool = "unknown";
    private const string ToolFailed = "The tool call failed.";
    private readonly AgentRun _run;
    private readonly Dictionary<string, (string ToolName, string Id)> _openCalls = new(StringComparer.Ordinal);
    private readonly StringBuilder _answer = new();
    private string? _generatedMessageId;
    private string? _answerMessageId;
    private bool _settled;

    private UpdateEmitter(AgentRun run)
    {
        _run = run;
    }

    /// <summary>Emits <c>agent_started</c> and returns the emitter of the run.</summary>
    public static async Task<UpdateEmitter> BeginAsync(AgentWebSocketBridge bridge, string agentName, CancellationToken cancellationToken) =>
        new(await bridge.BeginRunAsync(agentName, cancellationToken).ConfigureAwait(false));

    /// <summary>Emits what one update carries, in the order of its contents.</summary>
    /// <param name="contents">The update's contents.</param>
    /// <param name="messageId">The update's message id; text without one belongs to the current answer.</param>
    /// <param name="cancellationToken">Cancels the emits.</param>
    public async ValueTask EmitAsync(IList<AIContent> contents, string? messageId, CancellationToken cancellationToken)
    {
        for (var i = 0; i < contents.Count; i++)
        {
            switch (contents[i])
            {
                case TextContent { Text.Length: > 0 } text:
                    await _run.MessageAsync(text.Text, Answer(messageId, text.Text), cancellationToken).ConfigureAwait(false);
                    break;
                case TextReasoningContent { Text.Length: > 0 } reasoning:
                    await _run.ThinkingAsync(reasoning.Text, cancellationToken).ConfigureAwait(false);
                    break;
                case FunctionCallContent call:
                    // Text after a tool call is a new message, even when the model gives no message ids.
                    _generatedMessageId = null;
                    var id = await _run.ToolExecutingAsync(call.Name, call.Arguments, Id(call.CallId), cancellationToken).ConfigureAwait(false);
                    _openCalls[call.CallId ?? string.Empty] = (call.Name, id);
                    break;
                case FunctionResultContent result:
                    _generatedMessageId = null;
                    var (toolName, callId) = _openCalls.Remove(result.CallId ?? string.Empty, out var open) ? open : (UnknownTool, Id(result.CallId));
                    await _run.ToolCompletedAsync(toolName, ResultOf(result), callId, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
    }

    /// <summary>The stream ended: the run succeeded, with the text of its last message as the result.</summary>
    public void Succeed()
    {
        _settled = true;
        _run.Complete(_answer.Length > 0 ? _answer.ToString() : null);
    }

    /// <summary>The stream threw: the run was cancelled when <paramref name="cancellationToken"/> was, and failed otherwise.</summary>
    public void Fail(Exception exception, CancellationToken cancellationToken)
    {
        _settled = true;
        if (exception is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            _run.Cancel();
        }
        else
        {
            _run.Fail(exception);
        }
    }

    /// <summary>Emits the run's <c>agent_completed</c>; a stream its consumer stopped reading ends <c>cancelled</c>.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_settled)
        {
            _settled = true;
            _run.Cancel();
        }

        await _run.DisposeAsync().ConfigureAwait(false);
    }

    private string Answer(string? messageId, string text)
    {
        var id = messageId ?? (_generatedMessageId ??= _run.MessageId + "_" + Guid.NewGuid().ToString("N")[..8]);
        if (!string.Equals(id, _answerMessageId, StringComparison.Ordinal))
        {
            _answerMessageId = id;
            _answer.Clear();
        }

        _answer.Append(text);
        return id;
    }

    /// <summary>A call id fit for the wire, or <see langword="null"/> to let the run scope make one.</summary>
    private static string? Id(string? callId) => string.IsNullOrWhiteSpace(callId) ? null : callId;

    /// <summary>
    /// A failed call's result is <c>{"error": ...}</c> with the text the function-invoking client gave the model (which
    /// carries exception details only when its <c>IncludeDetailedErrors</c> is on).
    /// </summary>
    private static object? ResultOf(FunctionResultContent result) =>
        result.Exception is null ? result.Result : new ToolError(result.Result?.ToString() is { Length: > 0 } text ? text : ToolFailed);

    private sealed record ToolError(string Error);
}
