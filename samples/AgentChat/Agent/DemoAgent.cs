using System.Text.Json;
using AgentBridge.AgUi;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AgentChat.Agent;

/// <summary>
/// The demo agent: a Microsoft Agent Framework <see cref="ChatClientAgent"/> over the registered <see cref="IChatClient"/>
/// (the <see cref="ScriptedDemoModel"/> unless the app registers a real model), with function invocation and two real
/// tools, the <see cref="Calculator"/> and the <see cref="DocumentSearch"/>. One instance serves every user: each run
/// has its own session and its own bridge.
/// </summary>
public sealed class DemoAgent
{
    /// <summary>The agent's name in its events.</summary>
    public const string Name = "demo-agent";

    private const string Instructions =
        "You are the AgentChat demo assistant. Answer from the company's documents, found with search_documents, and " +
        "compute arithmetic with calculator. Answer briefly and say which document you used.";

    /// <summary>Builds the agent over <paramref name="model"/>.</summary>
    /// <param name="model">The model.</param>
    /// <param name="search">The document search tool.</param>
    /// <param name="loggerFactory">For the pipeline's logs.</param>
    /// <param name="services">For the tools' services.</param>
    public DemoAgent(IChatClient model, DocumentSearch search, ILoggerFactory loggerFactory, IServiceProvider services)
    {
        // Enough model turns for the longest demo run: one per step, and the answer.
        var pipeline = model.AsBuilder()
            .UseFunctionInvocation(loggerFactory, f =>
            {
                f.MaximumIterationsPerRequest = StartRunRequest.MaxSteps + 2;
                f.AllowConcurrentInvocation = true;
            })
            .Build(services);
        AITool[] tools =
        [
            AIFunctionFactory.Create(Calculator.Evaluate, Calculator.ToolName),
            AIFunctionFactory.Create(search.Search, DocumentSearch.ToolName),
        ];
        Agent = new ChatClientAgent(
            pipeline,
            new ChatClientAgentOptions { Name = Name, ChatOptions = new ChatOptions { Instructions = Instructions, Tools = tools } },
            loggerFactory,
            services);
    }

    /// <summary>The agent.</summary>
    public AIAgent Agent { get; }

    /// <summary>The options of one run: how many steps the scripted model takes and how long each waits.</summary>
    /// <param name="steps">1 to 50.</param>
    /// <param name="delayMs">0 to 10,000.</param>
    /// <returns>The run options.</returns>
    public static AgentRunOptions RunOptions(int steps, int delayMs) =>
        new ChatClientAgentRunOptions(new ChatOptions
        {
            AdditionalProperties = new() { [ScriptedDemoModel.StepsKey] = steps, [ScriptedDemoModel.DelayKey] = delayMs },
        });

    /// <summary>The options of an AG-UI run: <c>steps</c> and <c>delayMs</c> from its <c>forwardedProps</c>, kept within the ranges of <c>POST /api/runs</c>.</summary>
    /// <param name="run">The AG-UI request.</param>
    /// <returns>The run options.</returns>
    public static AgentRunOptions RunOptions(AgUiRunContext run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var props = run.Input.ForwardedProps;
        return RunOptions(
            Math.Clamp(Number(props, "steps") ?? StartRunRequest.DefaultSteps, StartRunRequest.MinSteps, StartRunRequest.MaxSteps),
            Math.Clamp(Number(props, "delayMs") ?? StartRunRequest.DefaultDelayMs, 0, StartRunRequest.MaxDelayMs));
    }

    private static int? Number(JsonElement? props, string name) =>
        props is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty(name, out var value) && value.TryGetInt32(out var number) ? number : null;
}

/// <summary>Registers the demo agent.</summary>
public static class DemoAgentServiceCollectionExtensions
{
    /// <summary>
    /// Registers the <see cref="DemoAgent"/> and its tools, and the <see cref="ScriptedDemoModel"/> as the
    /// <see cref="IChatClient"/> unless one is registered already (a real model: see the README).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddDemoAgent(this IServiceCollection services)
    {
        services.TryAddSingleton<IChatClient, ScriptedDemoModel>();
        services.AddSingleton<DocumentSearch>();
        services.AddSingleton<DemoAgent>();
        return services;
    }
}
