using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;

namespace AgentBridge.Benchmarks.ExtensionsAI;

/// <summary>
/// One operation = one streamed update. The baseline consumes the stream as an app does without AgentBridge; the other
/// consumes the same stream through <c>WithAgentBridge</c>, which emits every event of the update (numbered in the user's
/// stream and kept in the replay window, as in production) before passing it on. Delivery to sockets happens on the
/// connections' own send loops, not on this path, so no socket is attached.
/// </summary>
[MemoryDiagnoser]
public class WithAgentBridgeBenchmarks
{
    private WebSocketConnectionManager _manager = null!;
    private AgentWebSocketBridge _bridge = null!;
    private ChatResponseUpdate[] _updates = null!;

    [Params("text", "mixed")]
    public string Shape { get; set; } = "text";

    [GlobalSetup]
    public void Setup()
    {
        _manager = new WebSocketConnectionManager(new AgentBridgeOptions());
        _bridge = new AgentWebSocketBridgeFactory(_manager).Create(UserExecutionContext.Create("user-1", "thread-1"));
        _updates = Shape == "text" ? StreamShapes.Text() : StreamShapes.Mixed();
    }

    [GlobalCleanup]
    public void Cleanup() => _manager.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = StreamShapes.UpdateCount)]
    public Task<int> Consume() => ConsumeAsync(StreamShapes.AsStream(_updates));

    [Benchmark(OperationsPerInvoke = StreamShapes.UpdateCount)]
    public Task<int> ConsumeWithAgentBridge() => ConsumeAsync(StreamShapes.AsStream(_updates).WithAgentBridge(_bridge, "bench-agent"));

    /// <summary>What a consumer does with each update: looks at its contents.</summary>
    public static async Task<int> ConsumeAsync(IAsyncEnumerable<ChatResponseUpdate> updates)
    {
        var contents = 0;
        await foreach (var update in updates)
        {
            contents += update.Contents.Count;
        }

        return contents;
    }
}
