using Microsoft.Extensions.AI;

namespace AgentBridge.Extensions.AI.Tests;

/// <summary>
/// The stand-in for the model, and the only stand-in in these tests: the model is outside the system, so its turns are
/// scripted. Everything around it (function invocation, the tools, the agent, the sockets) is the real thing.
/// </summary>
public sealed class ScriptedChatClient(Func<ModelTurn, IAsyncEnumerable<ChatResponseUpdate>> script) : IChatClient
{
    private int _calls;

    /// <summary>How many times the model was called.</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <summary>What the model was given, call by call.</summary>
    public List<ModelTurn> Turns { get; } = [];

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        var turn = new ModelTurn([.. messages], options, cancellationToken);
        lock (Turns)
        {
            Turns.Add(turn);
        }

        return script(turn);
    }

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        GetStreamingResponseAsync(messages, options, cancellationToken).ToChatResponseAsync(cancellationToken);

    public object? GetService(Type serviceType, object? serviceKey = null) => serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }
}

/// <summary>One call of the model: the conversation it was given.</summary>
public sealed record ModelTurn(IReadOnlyList<ChatMessage> Messages, ChatOptions? Options, CancellationToken CancellationToken)
{
    /// <summary>How many times the model already answered in this conversation (0 on the first call).</summary>
    public int Number => Messages.Count(m => m.Role == ChatRole.Assistant);

    /// <summary>The user's last message.</summary>
    public string Question => Messages.Last(m => m.Role == ChatRole.User).Text;
}

/// <summary>What the scripted model says.</summary>
public static class Say
{
    public static ChatResponseUpdate Text(string text) => new(ChatRole.Assistant, text);

    public static ChatResponseUpdate Reasoning(string text) => new(ChatRole.Assistant, [new TextReasoningContent(text)]);

    public static ChatResponseUpdate Call(string callId, string tool, IDictionary<string, object?>? arguments = null) =>
        new(ChatRole.Assistant, [new FunctionCallContent(callId, tool, arguments)]);

    public static ChatResponseUpdate Calls(params FunctionCallContent[] calls) => new(ChatRole.Assistant, [.. calls]);

    public static async IAsyncEnumerable<ChatResponseUpdate> Stream(params ChatResponseUpdate[] updates)
    {
        foreach (var update in updates)
        {
            await Task.Yield();
            yield return update;
        }
    }
}
