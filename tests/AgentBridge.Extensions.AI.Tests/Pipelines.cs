using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace AgentBridge.Extensions.AI.Tests;

/// <summary>The two ways an app streams a run: an IChatClient with function invocation, or an Agent Framework agent.</summary>
public enum Pipeline
{
    ChatClient,
    Agent,
}

public static class Pipelines
{
    public const string AgentName = "assistant";

    /// <summary>A real tool: the weather of a city (<c>"{city}: fine"</c>), after every party of <paramref name="together"/> has called it.</summary>
    public static AIFunction Weather(Rendezvous? together = null) => AIFunctionFactory.Create(
        async (string city) =>
        {
            if (together is not null)
            {
                await together.ArriveAndWaitAsync();
            }

            return city + ": fine";
        },
        "weather");

    /// <summary>The agent over the scripted model; the agent adds its own function-invoking client around it.</summary>
    public static ChatClientAgent Agent(IChatClient model, params AITool[] tools) =>
        new(model, new ChatClientAgentOptions { Name = AgentName, ChatOptions = new ChatOptions { Tools = tools }, AllowConcurrentInvocation = true });

    /// <summary>Runs <paramref name="question"/> through the pipeline with <c>WithAgentBridge</c>, and returns how many updates the consumer got.</summary>
    public static async Task<int> RunAsync(Pipeline pipeline, IChatClient model, AITool[] tools, string question, AgentWebSocketBridge bridge, CancellationToken cancellationToken = default)
    {
        var count = 0;
        if (pipeline == Pipeline.ChatClient)
        {
            using var client = model.AsBuilder().UseFunctionInvocation(configure: f => f.AllowConcurrentInvocation = true).Build();
            var updates = client.GetStreamingResponseAsync(question, new ChatOptions { Tools = tools }, cancellationToken);
            await foreach (var _ in updates.WithAgentBridge(bridge, AgentName, cancellationToken))
            {
                count++;
            }
        }
        else
        {
            var updates = Agent(model, tools).RunStreamingAsync(question, cancellationToken: cancellationToken);
            await foreach (var _ in updates.WithAgentBridge(bridge, AgentName, cancellationToken))
            {
                count++;
            }
        }

        return count;
    }
}
