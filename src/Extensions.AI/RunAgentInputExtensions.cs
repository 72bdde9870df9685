using System.Text.Json;
using Microsoft.Extensions.AI;

namespace AgentBridge.AgUi;

/// <summary>Turns an AG-UI conversation into Microsoft.Extensions.AI messages.</summary>
public static class RunAgentInputExtensions
{
    /// <summary>
    /// The input's conversation as chat messages: <c>system</c> and <c>developer</c> as system messages, <c>user</c> text,
    /// <c>assistant</c> text and tool calls, <c>tool</c> results. Activity and reasoning messages are display state of the
    /// front end and are left out, as are media parts (read them from <see cref="AgUiMessage.Json"/>).
    /// </summary>
    /// <param name="input">The AG-UI input.</param>
    /// <returns>The messages, in order.</returns>
    public static IList<ChatMessage> ToChatMessages(this RunAgentInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var messages = new List<ChatMessage>(input.Messages.Count);
        foreach (var message in input.Messages)
        {
            var converted = message.Role switch
            {
                AgUiMessage.SystemRole or AgUiMessage.DeveloperRole => new ChatMessage(ChatRole.System, message.Content ?? string.Empty),
                AgUiMessage.UserRole => new ChatMessage(ChatRole.User, message.Content ?? string.Empty) { AuthorName = message.Name },
                AgUiMessage.AssistantRole => Assistant(message),
                AgUiMessage.ToolRole => new ChatMessage(ChatRole.Tool, [new FunctionResultContent(message.ToolCallId!, message.Error ?? message.Content)]),
                _ => null,
            };

            if (converted is not null)
            {
                converted.MessageId = message.Id;
                messages.Add(converted);
            }
        }

        return messages;
    }

    private static ChatMessage Assistant(AgUiMessage message)
    {
        var contents = new List<AIContent>();
        if (!string.IsNullOrEmpty(message.Content))
        {
            contents.Add(new TextContent(message.Content));
        }

        foreach (var call in message.ToolCalls)
        {
            contents.Add(new FunctionCallContent(call.Id, call.Name, Arguments(call.Arguments)));
        }

        return new ChatMessage(ChatRole.Assistant, contents) { AuthorName = message.Name };
    }

    /// <summary>The arguments object of a call; arguments that are not a JSON object are passed as none.</summary>
    private static Dictionary<string, object?>? Arguments(string json)
    {
        try
        {
            return string.IsNullOrWhiteSpace(json) ? null : JsonSerializer.Deserialize<Dictionary<string, object?>>(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
