using System.Text.Json;

namespace AgentBridge.Delivery;

/// <summary>The data of the standard events, written field by field in camelCase.</summary>
internal static class StandardPayloads
{
    public static IAgentEventPayload Started(string agentName) => new StartedPayload(agentName);

    public static IAgentEventPayload Thinking(string agentName, string thought) => new ThinkingPayload(agentName, thought);

    public static IAgentEventPayload ToolExecuting(string agentName, string toolName, string? toolCallId, object? arguments) =>
        new ToolPayload(agentName, toolName, toolCallId, "arguments", arguments);

    public static IAgentEventPayload ToolCompleted(string agentName, string toolName, string? toolCallId, object? result) =>
        new ToolPayload(agentName, toolName, toolCallId, "result", result);

    public static IAgentEventPayload Message(string agentName, string messageId, string delta) => new MessagePayload(agentName, messageId, delta);

    public static IAgentEventPayload Completed(string agentName, string status, object? result, string? error) =>
        new CompletedPayload(agentName, status, result, error);

    internal static void WriteValue(Utf8JsonWriter writer, string propertyName, object? value, JsonSerializerOptions options)
    {
        writer.WritePropertyName(propertyName);
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            JsonSerializer.Serialize(writer, value, value.GetType(), options);
        }
    }

    private sealed record StartedPayload(string AgentName) : IAgentEventPayload
    {
        public void Write(Utf8JsonWriter writer, JsonSerializerOptions options)
        {
            writer.WriteStartObject();
            writer.WriteString("agentName", AgentName);
            writer.WriteEndObject();
        }
    }

    private sealed record ThinkingPayload(string AgentName, string Thought) : IAgentEventPayload
    {
        public void Write(Utf8JsonWriter writer, JsonSerializerOptions options)
        {
            writer.WriteStartObject();
            writer.WriteString("agentName", AgentName);
            writer.WriteString("thought", Thought);
            writer.WriteEndObject();
        }
    }

    private sealed record ToolPayload(string AgentName, string ToolName, string? ToolCallId, string ValueName, object? Value) : IAgentEventPayload
    {
        public void Write(Utf8JsonWriter writer, JsonSerializerOptions options)
        {
            writer.WriteStartObject();
            writer.WriteString("agentName", AgentName);
            writer.WriteString("toolName", ToolName);
            if (ToolCallId is not null)
            {
                writer.WriteString("toolCallId", ToolCallId);
            }

            WriteValue(writer, ValueName, Value, options);
            writer.WriteEndObject();
        }
    }

    private sealed record MessagePayload(string AgentName, string MessageId, string Delta) : IAgentEventPayload
    {
        public void Write(Utf8JsonWriter writer, JsonSerializerOptions options)
        {
            writer.WriteStartObject();
            writer.WriteString("agentName", AgentName);
            writer.WriteString("messageId", MessageId);
            writer.WriteString("delta", Delta);
            writer.WriteEndObject();
        }
    }

    private sealed record CompletedPayload(string AgentName, string Status, object? Result, string? Error) : IAgentEventPayload
    {
        public void Write(Utf8JsonWriter writer, JsonSerializerOptions options)
        {
            writer.WriteStartObject();
            writer.WriteString("agentName", AgentName);
            writer.WriteString("status", Status);
            if (Result is not null)
            {
                WriteValue(writer, "result", Result, options);
            }

            if (Error is not null)
            {
                writer.WriteString("error", Error);
            }

            writer.WriteEndObject();
        }
    }
}
