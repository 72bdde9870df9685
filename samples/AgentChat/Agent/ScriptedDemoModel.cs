using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace AgentChat.Agent;

/// <summary>
/// THE STAND-IN FOR A MODEL. A small scripted <see cref="IChatClient"/> that plans the demo's tool calls the way a model
/// would, so the sample runs with no model, key or network. Everything around it is the real pipeline: the
/// function-invoking client calls the real tools, the <c>ChatClientAgent</c> runs it, and AgentBridge streams it.
/// A real model replaces it by registering another <see cref="IChatClient"/> (see the README).
/// </summary>
/// <remarks>
/// For a question it takes <c>steps</c> turns, each a piece of reasoning and one tool call (the calculator when the
/// question holds arithmetic, otherwise a search of the documents), waiting <c>delayMs</c> before each, and then
/// streams an answer made of what the tools returned. <c>steps</c> and <c>delayMs</c> come from
/// <see cref="ChatOptions.AdditionalProperties"/>; a real model ignores them.
/// </remarks>
public sealed partial class ScriptedDemoModel : IChatClient
{
    /// <summary>The key of the number of steps in <see cref="ChatOptions.AdditionalProperties"/>.</summary>
    public const string StepsKey = "agentchat.steps";

    /// <summary>The key of the delay before each step, in milliseconds.</summary>
    public const string DelayKey = "agentchat.delayMs";

    private const int DefaultSteps = 3;
    private const int DefaultDelayMs = 50;

    /// <inheritdoc />
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var conversation = messages.ToList();
        var asked = conversation.FindLastIndex(m => m.Role == ChatRole.User);
        var question = asked >= 0 ? conversation[asked].Text : string.Empty;
        var thisRun = conversation.Skip(asked + 1).SelectMany(m => m.Contents).ToList();
        var calls = thisRun.OfType<FunctionCallContent>().ToList();
        var results = thisRun.OfType<FunctionResultContent>().ToList();
        var steps = Setting(options, StepsKey, DefaultSteps);
        var delay = TimeSpan.FromMilliseconds(Setting(options, DelayKey, DefaultDelayMs));
        var messageId = "msg_" + Guid.NewGuid().ToString("N");

        if (results.Count < steps)
        {
            var (thought, tool, arguments) = Plan(question, results.Count, steps);
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            yield return new ChatResponseUpdate(ChatRole.Assistant, [new TextReasoningContent(thought)]) { MessageId = messageId };
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            yield return new ChatResponseUpdate(ChatRole.Assistant, [new FunctionCallContent("call_" + Guid.NewGuid().ToString("N")[..12], tool, arguments)]) { MessageId = messageId };
            yield break;
        }

        foreach (Match word in Words().Matches(Answer(question, calls, results)))
        {
            await Task.Delay(delay / 5, cancellationToken).ConfigureAwait(false);
            yield return new ChatResponseUpdate(ChatRole.Assistant, word.Value) { MessageId = messageId };
        }
    }

    /// <inheritdoc />
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        GetStreamingResponseAsync(messages, options, cancellationToken).ToChatResponseAsync(cancellationToken);

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }

    /// <summary>Step <paramref name="done"/> + 1: the calculator first when the question holds arithmetic, then searches.</summary>
    private static (string Thought, string Tool, Dictionary<string, object?> Arguments) Plan(string question, int done, int steps)
    {
        var step = $"Step {done + 1} of {steps}: ";
        var expression = Arithmetic().Matches(question).Select(m => m.Value.Trim()).FirstOrDefault(e => Operator().IsMatch(e));
        if (expression is not null && done == 0)
        {
            return (step + $"the question holds arithmetic, so I compute {expression} with the calculator.", Calculator.ToolName, new() { ["expression"] = expression });
        }

        var keywords = DocumentSearch.Keywords(question);
        var searches = done - (expression is null ? 0 : 1);
        var query = searches == 0 || keywords.Count == 0 ? question : keywords[(searches - 1) % keywords.Count];
        return (step + $"I search the documents for \"{query}\".", DocumentSearch.ToolName, new() { ["query"] = query });
    }

    /// <summary>The answer, made of what the tools returned.</summary>
    private static string Answer(string question, List<FunctionCallContent> calls, List<FunctionResultContent> results)
    {
        var parts = new List<string>();
        var hits = new List<(string Title, string Passage, int Score)>();
        foreach (var result in results)
        {
            var call = calls.Find(c => c.CallId == result.CallId);
            var value = result.Exception is null && result.Result is not null ? JsonSerializer.SerializeToElement(result.Result) : default;
            if (call?.Name == Calculator.ToolName)
            {
                var expression = call.Arguments?["expression"]?.ToString();
                parts.Add(value.ValueKind == JsonValueKind.Object
                    ? $"{expression} = {Property(value, "value")}."
                    : $"I could not compute {expression}: the calculator refused it.");
            }
            else if (value.ValueKind == JsonValueKind.Array)
            {
                hits.AddRange(value.EnumerateArray().Select(h => (Property(h, "title"), Property(h, "passage"), int.Parse(Property(h, "score"), CultureInfo.InvariantCulture))));
            }
        }

        var best = hits.OrderByDescending(h => h.Score).DistinctBy(h => h.Title).Take(2).ToList();
        parts.Add(best.Count == 0
            ? "The documents say nothing about that."
            : string.Join(" ", best.Select(h => $"From \"{h.Title}\": {h.Passage}")));
        return $"Here is what I found for \"{question}\". {string.Join(" ", parts)}";
    }

    private static string Property(JsonElement element, string name)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
            }
        }

        return string.Empty;
    }

    private static int Setting(ChatOptions? options, string key, int fallback) =>
        options?.AdditionalProperties?.TryGetValue(key, out var value) == true
            ? value switch
            {
                int number => number,
                JsonElement { ValueKind: JsonValueKind.Number } json when json.TryGetInt32(out var number) => number,
                _ => fallback,
            }
            : fallback;

    [GeneratedRegex(@"[\d.(][\d.\s+\-*/()]*[\d.)]")]
    private static partial Regex Arithmetic();

    [GeneratedRegex(@"\d\s*\)*\s*[+\-*/]\s*\(*\s*[\d.]")]
    private static partial Regex Operator();

    [GeneratedRegex(@"\S+\s*")]
    private static partial Regex Words();
}
