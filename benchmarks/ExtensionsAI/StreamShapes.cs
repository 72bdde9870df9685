using Microsoft.Extensions.AI;

namespace AgentBridge.Benchmarks.ExtensionsAI;

/// <summary>The streamed responses the benchmark consumes.</summary>
public static class StreamShapes
{
    /// <summary>How many updates one operation streams.</summary>
    public const int UpdateCount = 1000;

    /// <summary>An answer streamed in word-sized text deltas: every update becomes an <c>agent_message</c>.</summary>
    public static ChatResponseUpdate[] Text() =>
        [.. Enumerable.Range(0, UpdateCount).Select(i => new ChatResponseUpdate(ChatRole.Assistant, "word" + (i % 10) + " ") { MessageId = "msg_1" })];

    /// <summary>
    /// A run of a function-invoking pipeline: rounds of reasoning, a tool call and its result, then the answer's text; one
    /// update in ten is empty of anything AgentBridge emits (usage, role-only).
    /// </summary>
    public static ChatResponseUpdate[] Mixed()
    {
        var updates = new List<ChatResponseUpdate>(UpdateCount);
        for (var i = 0; updates.Count < UpdateCount; i++)
        {
            updates.Add(new ChatResponseUpdate(ChatRole.Assistant, [new TextReasoningContent("thinking about step " + i)]));
            updates.Add(new ChatResponseUpdate(ChatRole.Assistant, [new FunctionCallContent("call_" + i, "search", new Dictionary<string, object?> { ["query"] = "q" + i })]));
            updates.Add(new ChatResponseUpdate(ChatRole.Tool, [new FunctionResultContent("call_" + i, "3 hits for q" + i)]));
            for (var w = 0; w < 6; w++)
            {
                updates.Add(new ChatResponseUpdate(ChatRole.Assistant, "word" + w + " ") { MessageId = "msg_" + i });
            }

            updates.Add(new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(new UsageDetails { TotalTokenCount = 10 })]));
        }

        return [.. updates.Take(UpdateCount)];
    }

    /// <summary>The updates as a stream that completes synchronously, so the baseline measures consumption and nothing else.</summary>
    public static async IAsyncEnumerable<ChatResponseUpdate> AsStream(ChatResponseUpdate[] updates)
    {
        foreach (var update in updates)
        {
            yield return update;
        }

        await Task.CompletedTask;
    }
}
