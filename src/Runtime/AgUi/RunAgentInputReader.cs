using System.Text;
using System.Text.Json;

namespace AgentBridge.AgUi;

/// <summary>
/// Reads and checks a <c>RunAgentInput</c> the way <c>@ag-ui/core</c>'s schema does: <c>threadId</c>, <c>runId</c> and
/// <c>messages</c> are required, <c>tools</c> and <c>context</c> are arrays when present, every message has a string
/// <c>id</c> and one of the seven roles. Anything it finds wrong is reported by field, for a 400 problem response.
/// </summary>
internal static class RunAgentInputReader
{
    private const int MaxIdLength = 256;
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    private static readonly HashSet<string> Roles = new(StringComparer.Ordinal)
    {
        AgUiMessage.UserRole, AgUiMessage.AssistantRole, AgUiMessage.SystemRole, AgUiMessage.DeveloperRole,
        AgUiMessage.ToolRole, AgUiMessage.ActivityRole, AgUiMessage.ReasoningRole,
    };

    public static RunAgentInput? Read(ReadOnlyMemory<byte> utf8, out Dictionary<string, string[]> errors)
    {
        errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, DocumentOptions);
        }
        catch (JsonException)
        {
            errors["$"] = ["the body is not valid JSON"];
            return null;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                errors["$"] = ["the body must be a JSON object (RunAgentInput)"];
                return null;
            }

            var threadId = RequiredId(root, "threadId", errors);
            var runId = RequiredId(root, "runId", errors);
            var parentRunId = OptionalString(root, "parentRunId", errors);
            var tools = OptionalArray(root, "tools", errors);
            var context = OptionalArray(root, "context", errors);
            var state = OptionalValue(root, "state");
            var forwardedProps = OptionalValue(root, "forwardedProps");
            var messages = ReadMessages(root, errors);
            if (errors.Count > 0)
            {
                return null;
            }

            return new RunAgentInput(threadId!, runId!, parentRunId, messages!, tools, context, state, forwardedProps);
        }
    }

    private static List<AgUiMessage>? ReadMessages(JsonElement root, Dictionary<string, string[]> errors)
    {
        if (!root.TryGetProperty("messages", out var array) || array.ValueKind != JsonValueKind.Array)
        {
            errors["messages"] = ["required: an array of messages"];
            return null;
        }

        var messages = new List<AgUiMessage>(array.GetArrayLength());
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var field = $"messages[{index++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                errors[field] = ["a message must be an object"];
                continue;
            }

            var id = StringOf(item, "id");
            var role = StringOf(item, "role");
            if (string.IsNullOrEmpty(id) || role is null || !Roles.Contains(role))
            {
                errors[field] = ["a message needs a string 'id' and a 'role' of user, assistant, system, developer, tool, activity or reasoning"];
                continue;
            }

            var toolCallId = StringOf(item, "toolCallId");
            if (role == AgUiMessage.ToolRole && string.IsNullOrEmpty(toolCallId))
            {
                errors[field] = ["a tool message needs its 'toolCallId'"];
                continue;
            }

            var toolCalls = ReadToolCalls(item, field, errors);
            messages.Add(new AgUiMessage(id, role, TextOf(item), StringOf(item, "name"), toolCallId, StringOf(item, "error"), toolCalls, item.Clone()));
        }

        return messages;
    }

    private static List<AgUiToolCall> ReadToolCalls(JsonElement message, string field, Dictionary<string, string[]> errors)
    {
        var calls = new List<AgUiToolCall>();
        if (!message.TryGetProperty("toolCalls", out var array) || array.ValueKind == JsonValueKind.Null)
        {
            return calls;
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            errors[field + ".toolCalls"] = ["must be an array"];
            return calls;
        }

        foreach (var call in array.EnumerateArray())
        {
            if (call.ValueKind == JsonValueKind.Object
                && StringOf(call, "id") is { Length: > 0 } id
                && call.TryGetProperty("function", out var function) && function.ValueKind == JsonValueKind.Object
                && StringOf(function, "name") is { Length: > 0 } name
                && StringOf(function, "arguments") is { } arguments)
            {
                calls.Add(new AgUiToolCall(id, name, arguments));
            }
            else
            {
                errors[field + ".toolCalls"] = ["each tool call needs an 'id' and a 'function' with a 'name' and 'arguments' (a string)"];
            }
        }

        return calls;
    }

    /// <summary>A string content as it is; an array of parts as its text parts, joined.</summary>
    private static string? TextOf(JsonElement message)
    {
        if (!message.TryGetProperty("content", out var content))
        {
            return null;
        }

        switch (content.ValueKind)
        {
            case JsonValueKind.String:
                return content.GetString();
            case JsonValueKind.Array:
                var text = new StringBuilder();
                foreach (var part in content.EnumerateArray())
                {
                    if (part.ValueKind == JsonValueKind.Object && StringOf(part, "type") == "text" && StringOf(part, "text") is { } partText)
                    {
                        text.Append(partText);
                    }
                }

                return text.ToString();
            default:
                return null;
        }
    }

    private static string? RequiredId(JsonElement root, string name, Dictionary<string, string[]> errors)
    {
        var value = StringOf(root, name);
        if (string.IsNullOrWhiteSpace(value) || value.Length > MaxIdLength)
        {
            errors[name] = [$"required: a non-blank string of at most {MaxIdLength} characters"];
            return null;
        }

        return value;
    }

    private static string? OptionalString(JsonElement root, string name, Dictionary<string, string[]> errors)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String || value.GetString()!.Length > MaxIdLength)
        {
            errors[name] = [$"must be a string of at most {MaxIdLength} characters"];
            return null;
        }

        return value.GetString();
    }

    private static JsonElement? OptionalArray(JsonElement root, string name, Dictionary<string, string[]> errors)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            errors[name] = ["must be an array"];
            return null;
        }

        return value.Clone();
    }

    private static JsonElement? OptionalValue(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value.Clone() : null;

    private static string? StringOf(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
