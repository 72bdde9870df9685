using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace AgentBridge.AgUi;

/// <summary>
/// Writes AG-UI 1.0 events as server-sent events (<c>data: {json}</c> and a blank line), each with exactly the fields
/// <c>@ag-ui/core</c>'s schema for its type knows, so that the official client strips nothing.
/// </summary>
internal sealed class AgUiEventWriter
{
    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();

    // The stream is text/event-stream, never HTML: quotes inside strings as \" and text as it is read better than
    // \u0022 and \uXXXX. Control characters (a line break would end the data line) are still escaped.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly TimeProvider _time;

    public AgUiEventWriter(TimeProvider time)
    {
        _time = time;
    }

    public byte[] RunStarted(string threadId, string runId, string? parentRunId) => Write("RUN_STARTED", w =>
    {
        w.WriteString("threadId", threadId);
        w.WriteString("runId", runId);
        if (parentRunId is not null)
        {
            w.WriteString("parentRunId", parentRunId);
        }
    });

    /// <summary>RUN_FINISHED; <paramref name="result"/> is left out when absent or null (the schema refuses a null).</summary>
    public byte[] RunFinished(string threadId, string runId, JsonElement? result, bool cancelled) => Write("RUN_FINISHED", w =>
    {
        w.WriteString("threadId", threadId);
        w.WriteString("runId", runId);
        if (result is { ValueKind: not (JsonValueKind.Null or JsonValueKind.Undefined) } value)
        {
            w.WritePropertyName("result");
            value.WriteTo(w);
        }

        w.WriteStartObject("outcome");
        w.WriteString("type", cancelled ? "cancelled" : "success");
        w.WriteEndObject();
    });

    public byte[] RunError(string message, string code) => Write("RUN_ERROR", w =>
    {
        w.WriteString("message", message);
        w.WriteString("code", code);
    });

    public byte[] StepStarted(string stepName) => Write("STEP_STARTED", w => w.WriteString("stepName", stepName));

    public byte[] StepFinished(string stepName) => Write("STEP_FINISHED", w => w.WriteString("stepName", stepName));

    public byte[] TextMessageStart(string messageId) => Write("TEXT_MESSAGE_START", w =>
    {
        w.WriteString("messageId", messageId);
        w.WriteString("role", "assistant");
    });

    public byte[] TextMessageContent(string messageId, string delta) => WithMessageId("TEXT_MESSAGE_CONTENT", messageId, delta);

    public byte[] TextMessageEnd(string messageId) => WithMessageId("TEXT_MESSAGE_END", messageId, delta: null);

    public byte[] ReasoningStart(string messageId) => WithMessageId("REASONING_START", messageId, delta: null);

    public byte[] ReasoningMessageStart(string messageId) => Write("REASONING_MESSAGE_START", w =>
    {
        w.WriteString("messageId", messageId);
        w.WriteString("role", "reasoning");
    });

    public byte[] ReasoningMessageContent(string messageId, string delta) => WithMessageId("REASONING_MESSAGE_CONTENT", messageId, delta);

    public byte[] ReasoningMessageEnd(string messageId) => WithMessageId("REASONING_MESSAGE_END", messageId, delta: null);

    public byte[] ReasoningEnd(string messageId) => WithMessageId("REASONING_END", messageId, delta: null);

    public byte[] ToolCallStart(string toolCallId, string toolName) => Write("TOOL_CALL_START", w =>
    {
        w.WriteString("toolCallId", toolCallId);
        w.WriteString("toolCallName", toolName);
    });

    public byte[] ToolCallArgs(string toolCallId, string delta) => Write("TOOL_CALL_ARGS", w =>
    {
        w.WriteString("toolCallId", toolCallId);
        w.WriteString("delta", delta);
    });

    public byte[] ToolCallEnd(string toolCallId) => Write("TOOL_CALL_END", w => w.WriteString("toolCallId", toolCallId));

    public byte[] ToolCallResult(string messageId, string toolCallId, string content) => Write("TOOL_CALL_RESULT", w =>
    {
        w.WriteString("messageId", messageId);
        w.WriteString("toolCallId", toolCallId);
        w.WriteString("content", content);
        w.WriteString("role", "tool");
    });

    public byte[] Custom(string name, JsonElement value) => Write("CUSTOM", w =>
    {
        w.WriteString("name", name);
        w.WritePropertyName("value");
        if (value.ValueKind == JsonValueKind.Undefined)
        {
            w.WriteNullValue();
        }
        else
        {
            value.WriteTo(w);
        }
    });

    private byte[] WithMessageId(string type, string messageId, string? delta) => Write(type, w =>
    {
        w.WriteString("messageId", messageId);
        if (delta is not null)
        {
            w.WriteString("delta", delta);
        }
    });

    private byte[] Write(string type, Action<Utf8JsonWriter> fields)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        buffer.Write(DataPrefix);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("type", type);
            writer.WriteNumber("timestamp", _time.GetUtcNow().ToUnixTimeMilliseconds());
            fields(writer);
            writer.WriteEndObject();
        }

        buffer.Write(EventEnd);
        return buffer.WrittenSpan.ToArray();
    }
}
