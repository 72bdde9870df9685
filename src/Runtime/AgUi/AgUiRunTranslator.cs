using System.Buffers;
using System.Text.Json;
using System.Threading.Channels;
using AgentBridge.Delivery;

namespace AgentBridge.AgUi;

/// <summary>
/// Turns the AgentBridge events of one run into the AG-UI 1.0 events of one HTTP response, in the order
/// <c>@ag-ui/client</c> verifies: <c>RUN_STARTED</c> first; a text message, a reasoning message and a step open before
/// their content and closed before the run ends; every tool call started, given its arguments and ended before its
/// result; exactly one <c>RUN_FINISHED</c> or <c>RUN_ERROR</c>, and nothing after it.
/// </summary>
/// <remarks>
/// The first <c>agent_started</c> is the run itself (its <c>RUN_STARTED</c> is already out); agents started inside it
/// are steps. The run's <c>agent_completed</c> ends the stream. Tool events without a <c>toolCallId</c> (emitted with the
/// older overloads) get an id here, and a result pairs with the oldest call of its tool that has none yet.
/// </remarks>
internal sealed class AgUiRunTranslator
{
    private const string GenericError = "The agent run failed.";
    private readonly object _gate = new();
    private readonly ChannelWriter<byte[]> _out;
    private readonly AgUiEventWriter _events;
    private readonly JsonSerializerOptions _json;
    private readonly string _threadId;
    private readonly string _runId;
    private readonly Dictionary<string, int> _openSteps = new(StringComparer.Ordinal);
    private readonly List<(string ToolName, string Id)> _awaitingResult = [];
    private readonly HashSet<string> _announcedCalls = new(StringComparer.Ordinal);
    private bool _finished;
    private string? _runAgent;
    private string? _openText;
    private string? _openReasoning;
    private int _nextId;

    /// <summary>Creates the translator of one run; it writes the events to <paramref name="output"/> and completes it after the last.</summary>
    public AgUiRunTranslator(UserExecutionContext context, AgUiEventWriter events, JsonSerializerOptions json, ChannelWriter<byte[]> output)
    {
        _threadId = context.ThreadId;
        _runId = context.RunId;
        _events = events;
        _json = json;
        _out = output;
    }

    /// <summary>Writes <c>RUN_STARTED</c>, before anything the handler emits.</summary>
    public void Start(string? parentRunId)
    {
        lock (_gate)
        {
            Send(_events.RunStarted(_threadId, _runId, parentRunId));
        }
    }

    /// <summary>Maps one event the run's bridge emitted.</summary>
    public void Observe(AgentEvent agentEvent)
    {
        var data = DataOf(agentEvent);
        lock (_gate)
        {
            if (_finished)
            {
                return;
            }

            var mapped = agentEvent.Type switch
            {
                AgentEventTypes.AgentStarted => OnAgentStarted(data),
                AgentEventTypes.AgentCompleted => OnAgentCompleted(data),
                AgentEventTypes.AgentThinking => OnThinking(data),
                AgentEventTypes.AgentMessage => OnMessage(data),
                AgentEventTypes.ToolExecuting => OnToolExecuting(data),
                AgentEventTypes.ToolCompleted => OnToolCompleted(data),
                _ => false,
            };

            if (!mapped)
            {
                Send(_events.Custom(agentEvent.Type, data));
            }
        }
    }

    /// <summary>Ends the stream when the handler returned before its run's <c>agent_completed</c> did.</summary>
    public void Finish(Exception? failure, bool cancelled, bool includeExceptionDetails)
    {
        lock (_gate)
        {
            if (_finished)
            {
                return;
            }

            if (failure is not null && !cancelled)
            {
                EndRunWithError(includeExceptionDetails && !string.IsNullOrWhiteSpace(failure.Message) ? failure.Message : GenericError);
            }
            else
            {
                EndRun(result: null, cancelled);
            }
        }
    }

    private bool OnAgentStarted(JsonElement data)
    {
        if (Text(data, "agentName") is not { } agentName)
        {
            return false;
        }

        if (_runAgent is null)
        {
            _runAgent = agentName;
            return true;
        }

        CloseMessages();
        var open = _openSteps.GetValueOrDefault(agentName);
        _openSteps[agentName] = open + 1;
        if (open == 0)
        {
            Send(_events.StepStarted(agentName));
        }

        return true;
    }

    private bool OnAgentCompleted(JsonElement data)
    {
        if (Text(data, "agentName") is not { } agentName || Text(data, "status") is not { } status)
        {
            return false;
        }

        if (_openSteps.TryGetValue(agentName, out var open))
        {
            CloseMessages();
            if (open == 1)
            {
                _openSteps.Remove(agentName);
                Send(_events.StepFinished(agentName));
            }
            else
            {
                _openSteps[agentName] = open - 1;
            }

            return true;
        }

        switch (status)
        {
            case AgentRunStatus.Failed:
                EndRunWithError(Text(data, "error") ?? GenericError);
                break;
            case AgentRunStatus.Cancelled:
                EndRun(result: null, cancelled: true);
                break;
            default:
                EndRun(data.TryGetProperty("result", out var result) ? result : null, cancelled: false);
                break;
        }

        return true;
    }

    /// <summary>Consecutive thoughts are one reasoning message, the way a model streams its reasoning in pieces.</summary>
    private bool OnThinking(JsonElement data)
    {
        if (Text(data, "thought") is not { } thought)
        {
            return false;
        }

        if (_openReasoning is null)
        {
            CloseText();
            _openReasoning = NewId("reasoning");
            Send(_events.ReasoningStart(_openReasoning));
            Send(_events.ReasoningMessageStart(_openReasoning));
        }

        if (thought.Length > 0)
        {
            Send(_events.ReasoningMessageContent(_openReasoning, thought));
        }

        return true;
    }

    private bool OnMessage(JsonElement data)
    {
        if (Text(data, "messageId") is not { } messageId || Text(data, "delta") is not { } delta)
        {
            return false;
        }

        if (!string.Equals(_openText, messageId, StringComparison.Ordinal))
        {
            CloseMessages();
            _openText = messageId;
            Send(_events.TextMessageStart(messageId));
        }

        if (delta.Length > 0)
        {
            Send(_events.TextMessageContent(messageId, delta));
        }

        return true;
    }

    private bool OnToolExecuting(JsonElement data)
    {
        if (Text(data, "toolName") is not { } toolName)
        {
            return false;
        }

        CloseMessages();
        var id = Text(data, "toolCallId") ?? NewId("call");
        var arguments = data.TryGetProperty("arguments", out var value) && value.ValueKind != JsonValueKind.Null ? value.GetRawText() : null;
        Announce(id, toolName, arguments);
        _awaitingResult.Add((toolName, id));
        return true;
    }

    private bool OnToolCompleted(JsonElement data)
    {
        if (Text(data, "toolName") is not { } toolName)
        {
            return false;
        }

        CloseMessages();
        var id = Text(data, "toolCallId");
        var index = _awaitingResult.FindIndex(c => id is null
            ? string.Equals(c.ToolName, toolName, StringComparison.Ordinal)
            : string.Equals(c.Id, id, StringComparison.Ordinal));
        if (index >= 0)
        {
            id = _awaitingResult[index].Id;
            _awaitingResult.RemoveAt(index);
        }
        else
        {
            // A result whose call was never announced: announce it, so the front end has a call to hang it on.
            id ??= NewId("call");
            if (!_announcedCalls.Contains(id))
            {
                Announce(id, toolName, arguments: null);
            }
        }

        var content = !data.TryGetProperty("result", out var result) || result.ValueKind == JsonValueKind.Null
            ? string.Empty
            : result.ValueKind == JsonValueKind.String ? result.GetString()! : result.GetRawText();
        Send(_events.ToolCallResult(NewId("result"), id, content));
        return true;
    }

    private void Announce(string id, string toolName, string? arguments)
    {
        _announcedCalls.Add(id);
        Send(_events.ToolCallStart(id, toolName));
        if (arguments is not null)
        {
            Send(_events.ToolCallArgs(id, arguments));
        }

        Send(_events.ToolCallEnd(id));
    }

    private void EndRun(JsonElement? result, bool cancelled)
    {
        CloseAll();
        _finished = true;
        Send(_events.RunFinished(_threadId, _runId, cancelled ? null : result, cancelled));
        _out.TryComplete();
    }

    private void EndRunWithError(string message)
    {
        CloseAll();
        _finished = true;
        Send(_events.RunError(message, AgentRunStatus.Failed));
        _out.TryComplete();
    }

    private void CloseAll()
    {
        CloseMessages();
        foreach (var step in _openSteps.Keys)
        {
            Send(_events.StepFinished(step));
        }

        _openSteps.Clear();
    }

    private void CloseMessages()
    {
        CloseText();
        if (_openReasoning is { } reasoning)
        {
            Send(_events.ReasoningMessageEnd(reasoning));
            Send(_events.ReasoningEnd(reasoning));
            _openReasoning = null;
        }
    }

    private void CloseText()
    {
        if (_openText is { } text)
        {
            Send(_events.TextMessageEnd(text));
            _openText = null;
        }
    }

    private void Send(byte[] frame) => _out.TryWrite(frame);

    private string NewId(string kind) => $"{_runId}_{kind}_{++_nextId}";

    /// <summary>The event's data as JSON: the same fields the WebSocket frame's <c>data</c> carries.</summary>
    private JsonElement DataOf(AgentEvent agentEvent)
    {
        switch (agentEvent.Data)
        {
            case null:
                return default;
            case IAgentEventPayload payload:
                var buffer = new ArrayBufferWriter<byte>(256);
                using (var writer = new Utf8JsonWriter(buffer))
                {
                    payload.Write(writer, _json);
                }

                using (var document = JsonDocument.Parse(buffer.WrittenMemory))
                {
                    return document.RootElement.Clone();
                }

            default:
                return JsonSerializer.SerializeToElement(agentEvent.Data, agentEvent.Data.GetType(), _json);
        }
    }

    private static string? Text(JsonElement data, string name) =>
        data.ValueKind == JsonValueKind.Object && data.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
