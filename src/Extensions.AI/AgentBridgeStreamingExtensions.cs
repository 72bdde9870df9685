using System.Runtime.CompilerServices;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace AgentBridge;

/// <summary>
/// Streams the progress of a Microsoft.Extensions.AI chat client or a Microsoft Agent Framework agent to the user of a
/// bridge, as the updates flow.
/// </summary>
public static class AgentBridgeStreamingExtensions
{
    /// <summary>
    /// Passes every update through unchanged and emits, through <paramref name="bridge"/>, what it carries:
    /// <c>agent_started</c> before the first update; a <see cref="FunctionCallContent"/> as <c>tool_executing</c> (its call
    /// id as <c>toolCallId</c>, its name and arguments); a <see cref="FunctionResultContent"/> as <c>tool_completed</c>
    /// (the same id, the result, or <c>{"error": ...}</c> for a call that threw); a <see cref="TextReasoningContent"/> as
    /// <c>agent_thinking</c>; text as <c>agent_message</c> deltas. Exactly one <c>agent_completed</c> ends the run:
    /// <c>succeeded</c> with the answer text when the stream ends, <c>failed</c> when it throws (the exception is
    /// rethrown), <c>cancelled</c> when it is cancelled or its consumer stops reading early.
    /// </summary>
    /// <param name="updates">The streamed response, e.g. of <c>IChatClient.GetStreamingResponseAsync</c> with function invocation.</param>
    /// <param name="bridge">The bridge of the run's user, made by <see cref="IAgentWebSocketBridgeFactory"/> for this run's context.</param>
    /// <param name="agentName">The agent's name in the events.</param>
    /// <param name="cancellationToken">The run's cancellation; it is also passed to the stream.</param>
    /// <returns>The same updates.</returns>
    public static IAsyncEnumerable<ChatResponseUpdate> WithAgentBridge(
        this IAsyncEnumerable<ChatResponseUpdate> updates,
        AgentWebSocketBridge bridge,
        string agentName,
        CancellationToken cancellationToken = default)
    {
        return Stream(updates, bridge, agentName, static u => (u.Contents, u.MessageId), cancellationToken);
    }

    /// <summary>
    /// The same for an Agent Framework agent's <c>RunStreamingAsync</c>: passes every update through unchanged and emits
    /// what it carries, with exactly one <c>agent_completed</c> (see the <see cref="ChatResponseUpdate"/> overload).
    /// </summary>
    /// <param name="updates">The streamed run of an <see cref="AIAgent"/>.</param>
    /// <param name="bridge">The bridge of the run's user, made by <see cref="IAgentWebSocketBridgeFactory"/> for this run's context.</param>
    /// <param name="agentName">The agent's name in the events.</param>
    /// <param name="cancellationToken">The run's cancellation; it is also passed to the stream.</param>
    /// <returns>The same updates.</returns>
    public static IAsyncEnumerable<AgentResponseUpdate> WithAgentBridge(
        this IAsyncEnumerable<AgentResponseUpdate> updates,
        AgentWebSocketBridge bridge,
        string agentName,
        CancellationToken cancellationToken = default)
    {
        return Stream(updates, bridge, agentName, static u => (u.Contents, u.MessageId), cancellationToken);
    }

    /// <summary>Checks the arguments when called, then streams lazily.</summary>
    private static IAsyncEnumerable<TUpdate> Stream<TUpdate>(
        IAsyncEnumerable<TUpdate> updates,
        AgentWebSocketBridge bridge,
        string agentName,
        Func<TUpdate, (IList<AIContent> Contents, string? MessageId)> read,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(updates);
        ArgumentNullException.ThrowIfNull(bridge);
        ArgumentException.ThrowIfNullOrWhiteSpace(agentName);
        return StreamCore(updates, bridge, agentName, read, cancellationToken);
    }

    private static async IAsyncEnumerable<TUpdate> StreamCore<TUpdate>(
        IAsyncEnumerable<TUpdate> updates,
        AgentWebSocketBridge bridge,
        string agentName,
        Func<TUpdate, (IList<AIContent> Contents, string? MessageId)> read,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var emitter = await UpdateEmitter.BeginAsync(bridge, agentName, cancellationToken).ConfigureAwait(false);
        var source = updates.GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                TUpdate update;
                try
                {
                    if (!await source.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }

                    update = source.Current;
                    var (contents, messageId) = read(update);
                    await emitter.EmitAsync(contents, messageId, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    emitter.Fail(ex, cancellationToken);
                    throw;
                }

                yield return update;
            }

            emitter.Succeed();
        }
        finally
        {
            await source.DisposeAsync().ConfigureAwait(false);
        }
    }
}
