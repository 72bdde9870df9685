// The per-update overhead of WithAgentBridge, with BenchmarkDotNet:
//   dotnet run -c Release --project benchmarks/ExtensionsAI            the full run; the Ratio column is the answer
//   dotnet run -c Release --project benchmarks/ExtensionsAI -- --smoke  a few seconds: both paths run and see the same updates
using System.Diagnostics;
using System.Diagnostics.Metrics;
using AgentBridge;
using AgentBridge.Benchmarks.ExtensionsAI;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using Microsoft.Extensions.AI;

if (args.Contains("--smoke"))
{
    return await SmokeAsync();
}

var summary = BenchmarkRunner.Run<WithAgentBridgeBenchmarks>(DefaultConfig.Instance.WithOptions(ConfigOptions.DisableOptimizationsValidator), args);
return summary.HasCriticalValidationErrors || summary.Reports.Any(r => !r.Success) ? 1 : 0;

// Checks that both paths consume the same updates and that the bridge emitted one event per content it carries, plus
// agent_started and agent_completed (counted on the AgentBridge meter, as any metrics tool would).
static async Task<int> SmokeAsync()
{
    long emitted = 0;
    using var listener = new MeterListener();
    listener.InstrumentPublished = (instrument, l) =>
    {
        if (instrument.Meter.Name == "AgentBridge" && instrument.Name == "agentbridge.events.emitted")
        {
            l.EnableMeasurementEvents(instrument);
        }
    };
    listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref emitted, value));
    listener.Start();
    using var manager = new WebSocketConnectionManager(new AgentBridgeOptions());
    var bridge = new AgentWebSocketBridgeFactory(manager).Create(UserExecutionContext.Create("user-1", "thread-1"));
    var failed = 0;
    foreach (var (name, updates) in new[] { ("text", StreamShapes.Text()), ("mixed", StreamShapes.Mixed()) })
    {
        var watch = Stopwatch.StartNew();
        var plain = await WithAgentBridgeBenchmarks.ConsumeAsync(StreamShapes.AsStream(updates));
        var before = Interlocked.Read(ref emitted);
        var bridged = await WithAgentBridgeBenchmarks.ConsumeAsync(StreamShapes.AsStream(updates).WithAgentBridge(bridge, "bench-agent"));
        var events = Interlocked.Read(ref emitted) - before;
        var expected = 2 + updates.Sum(u => u.Contents.Count(c => c is TextContent or TextReasoningContent or FunctionCallContent or FunctionResultContent));
        var ok = plain == bridged && plain > 0 && events == expected;
        failed += ok ? 0 : 1;
        Console.WriteLine($"{name}: {plain} contents plain, {bridged} through WithAgentBridge, {events} events emitted of {expected} expected: {(ok ? "ok" : "MISMATCH")} ({watch.ElapsedMilliseconds} ms)");
    }

    return failed == 0 ? 0 : 1;
}
