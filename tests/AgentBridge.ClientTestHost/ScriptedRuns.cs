namespace AgentBridge.ClientTestHost;

/// <summary>The body of <c>POST /emit</c>: a burst of an application's own events.</summary>
/// <param name="Count">How many events (1 to 100,000).</param>
/// <param name="DelayMs">The pause between two events, in milliseconds (0: none).</param>
/// <param name="Type">The events' type.</param>
/// <param name="Padding">How many characters of filler each event carries (to make the events large).</param>
public sealed record EmitRequest(int Count, int DelayMs = 0, string Type = "tick", int Padding = 0);

/// <summary>The body of <c>POST /run</c>: one of the scripted runs.</summary>
/// <param name="Scenario"><c>answer</c>, <c>failed</c>, <c>cancelled</c>, <c>legacy</c>, <c>nested</c> or <c>custom</c>.</param>
/// <param name="DelayMs">The pause between two events, in milliseconds.</param>
public sealed record RunRequest(string Scenario, int DelayMs = 0);

/// <summary>Emits scripted runs and bursts in the background, through bridges made for the requesting user.</summary>
public sealed partial class ScriptedRuns
{
    private const string AgentName = "assistant";
    private readonly IAgentWebSocketBridgeFactory _bridges;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger<ScriptedRuns> _logger;

    /// <summary>Creates the runner.</summary>
    /// <param name="bridges">Makes one bridge per user context.</param>
    /// <param name="lifetime">Stops the background work when the host stops.</param>
    /// <param name="logger">Logs failures.</param>
    public ScriptedRuns(IAgentWebSocketBridgeFactory bridges, IHostApplicationLifetime lifetime, ILogger<ScriptedRuns> logger)
    {
        _bridges = bridges;
        _lifetime = lifetime;
        _logger = logger;
    }

    /// <summary>Starts a burst; its events carry <c>{"i": 1..count, "of": count, "pad": "…"}</c>.</summary>
    /// <param name="userId">The authenticated user.</param>
    /// <param name="request">The burst.</param>
    /// <returns>The run and thread ids of the burst's events.</returns>
    public object StartBurst(string userId, EmitRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var context = UserExecutionContext.Create(userId, "burst");
        var bridge = _bridges.Create(context);
        var count = Math.Clamp(request.Count, 1, 100_000);
        var pad = new string('x', Math.Clamp(request.Padding, 0, 64 * 1024));
        Background(context, async ct =>
        {
            for (var i = 1; i <= count; i++)
            {
                await bridge.EmitAsync(new AgentEvent(request.Type, new { i, of = count, pad }), ct);
                if (request.DelayMs > 0)
                {
                    await Task.Delay(request.DelayMs, ct);
                }
            }
        });
        return new { runId = context.RunId, threadId = context.ThreadId };
    }

    /// <summary>Starts a scripted run.</summary>
    /// <param name="userId">The authenticated user.</param>
    /// <param name="request">Which run.</param>
    /// <returns>The run and thread ids, or <see langword="null"/> for an unknown scenario.</returns>
    public object? StartRun(string userId, RunRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        Func<AgentWebSocketBridge, Func<CancellationToken, Task>, CancellationToken, Task>? script = request.Scenario switch
        {
            "answer" => AnswerAsync,
            "failed" => FailedAsync,
            "cancelled" => CancelledAsync,
            "legacy" => LegacyAsync,
            "nested" => NestedAsync,
            "custom" => CustomAsync,
            _ => null,
        };
        if (script is null)
        {
            return null;
        }

        var context = UserExecutionContext.Create(userId, "thread-" + request.Scenario);
        var bridge = _bridges.Create(context);
        Background(context, ct => script(bridge, token => request.DelayMs > 0 ? Task.Delay(request.DelayMs, token) : Task.CompletedTask, ct));
        return new { runId = context.RunId, threadId = context.ThreadId };
    }

    /// <summary>Reasoning, two overlapping calls of one tool answered in reverse order, and a streamed answer.</summary>
    private static async Task AnswerAsync(AgentWebSocketBridge bridge, Func<CancellationToken, Task> pause, CancellationToken ct)
    {
        await using var run = await bridge.BeginRunAsync(AgentName, ct);
        await run.ThinkingAsync("Both cities are needed: look them up at once.", ct);
        await pause(ct);
        var lisbon = await run.ToolExecutingAsync("weather", new { city = "Lisbon" }, ct);
        var oslo = await run.ToolExecutingAsync("weather", new { city = "Oslo" }, ct);
        await pause(ct);
        await run.ToolCompletedAsync("weather", new { city = "Oslo", sky = "rain" }, oslo, ct);
        await run.ToolCompletedAsync("weather", new { city = "Lisbon", sky = "sun" }, lisbon, ct);
        foreach (var delta in new[] { "Sunny in Lisbon", ", rainy in Oslo", "." })
        {
            await pause(ct);
            await run.MessageAsync(delta, ct);
        }

        run.Complete(new { answer = "Sunny in Lisbon, rainy in Oslo." });
    }

    private static async Task FailedAsync(AgentWebSocketBridge bridge, Func<CancellationToken, Task> pause, CancellationToken ct)
    {
        await using var run = await bridge.BeginRunAsync(AgentName, ct);
        await run.ThinkingAsync("Searching first.", ct);
        await run.ToolExecutingAsync("search", new { query = "refunds" }, ct);
        await pause(ct);
        await run.MessageAsync("Let me check", ct);
        run.Fail("The search service is down.");
    }

    private static async Task CancelledAsync(AgentWebSocketBridge bridge, Func<CancellationToken, Task> pause, CancellationToken ct)
    {
        await using var run = await bridge.BeginRunAsync(AgentName, ct);
        await run.ThinkingAsync("This will take a while.", ct);
        await pause(ct);
        await run.MessageAsync("Working on", ct);
        run.Cancel();
    }

    /// <summary>Tool events without call ids, as the bridge's oldest overloads emit them: a result answers the oldest open call of its tool.</summary>
    private static async Task LegacyAsync(AgentWebSocketBridge bridge, Func<CancellationToken, Task> pause, CancellationToken ct)
    {
        await bridge.EmitAgentStartedAsync(AgentName, ct);
        await bridge.EmitToolExecutingAsync(AgentName, "lookup", new { n = 1 }, ct);
        await bridge.EmitToolExecutingAsync(AgentName, "lookup", new { n = 2 }, ct);
        await pause(ct);
        await bridge.EmitToolCompletedAsync(AgentName, "lookup", new { n = 1 }, ct);
        await bridge.EmitToolCompletedAsync(AgentName, "lookup", "plain text result", ct);
        await bridge.EmitAgentCompletedAsync(AgentName, result: null, ct);
    }

    /// <summary>A second agent working inside the first one's run (same context, so the same run id).</summary>
    private static async Task NestedAsync(AgentWebSocketBridge bridge, Func<CancellationToken, Task> pause, CancellationToken ct)
    {
        await using var outer = await bridge.BeginRunAsync("planner", ct);
        await using (var inner = await bridge.BeginRunAsync("researcher", ct))
        {
            await inner.ThinkingAsync("Reading the sources.", ct);
            await pause(ct);
            inner.Complete();
        }

        await outer.MessageAsync("Done.", ct);
        outer.Complete("Done.");
    }

    /// <summary>An application's own event type inside a run.</summary>
    private static async Task CustomAsync(AgentWebSocketBridge bridge, Func<CancellationToken, Task> pause, CancellationToken ct)
    {
        await using var run = await bridge.BeginRunAsync(AgentName, ct);
        await bridge.EmitAsync(new AgentEvent("progress", new { percent = 50 }), ct);
        await pause(ct);
        run.Complete();
    }

    private void Background(UserExecutionContext context, Func<CancellationToken, Task> work)
    {
        var ct = _lifetime.ApplicationStopping;
        _ = Task.Run(async () =>
        {
            try
            {
                await work(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // The host is stopping.
            }
            catch (Exception ex)
            {
                WorkFailed(_logger, ex, context.RunId);
            }
        }, CancellationToken.None);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Scripted work {RunId} failed.")]
    private static partial void WorkFailed(ILogger logger, Exception exception, string runId);
}
