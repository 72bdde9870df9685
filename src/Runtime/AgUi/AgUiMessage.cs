using System.Text.Json;

namespace AgentBridge.AgUi;

/// <summary>One message of an AG-UI conversation.</summary>
public sealed class AgUiMessage
{
    /// <summary>The role of the user's messages.</summary>
    public const string UserRole = "user";

    /// <summary>The role of the agent's messages.</summary>
    public const string AssistantRole = "assistant";

    /// <summary>The role of system instructions.</summary>
    public const string SystemRole = "system";

    /// <summary>The role of the application developer's instructions.</summary>
    public const string DeveloperRole = "developer";

    /// <summary>The role of a tool's result.</summary>
    public const string ToolRole = "tool";

    /// <summary>The role of structured progress that is not conversation content.</summary>
    public const string ActivityRole = "activity";

    /// <summary>The role of the agent's reasoning.</summary>
    public const string ReasoningRole = "reasoning";

    internal AgUiMessage(string id, string role, string? content, string? name, string? toolCallId, string? error, IReadOnlyList<AgUiToolCall> toolCalls, JsonElement json)
    {
        Id = id;
        Role = role;
        Content = content;
        Name = name;
        ToolCallId = toolCallId;
        Error = error;
        ToolCalls = toolCalls;
        Json = json;
    }

    /// <summary>The message's id.</summary>
    public string Id { get; }

    /// <summary>One of <c>user</c>, <c>assistant</c>, <c>system</c>, <c>developer</c>, <c>tool</c>, <c>activity</c>, <c>reasoning</c>.</summary>
    public string Role { get; }

    /// <summary>The message's text: its string content, or its text parts joined; <see langword="null"/> when it has none.</summary>
    public string? Content { get; }

    /// <summary>The author's name, when given.</summary>
    public string? Name { get; }

    /// <summary>For a <c>tool</c> message, the call it answers.</summary>
    public string? ToolCallId { get; }

    /// <summary>For a <c>tool</c> message, the error of the call, when it failed.</summary>
    public string? Error { get; }

    /// <summary>For an <c>assistant</c> message, the tool calls it made.</summary>
    public IReadOnlyList<AgUiToolCall> ToolCalls { get; }

    /// <summary>The message as it was sent, for the fields this type does not surface (media parts, metadata).</summary>
    public JsonElement Json { get; }
}
