namespace AgentBridge.Benchmarks.Runtime;

/// <summary>The three contenders, measured in the same run on the same payloads.</summary>
internal static class Contender
{
    public const string AgentBridge = "agentbridge";
    public const string SignalR = "signalr";
    public const string Raw = "raw";

    public static readonly string[] All = [AgentBridge, SignalR, Raw];

    public static string Label(string contender) => contender switch
    {
        AgentBridge => "AgentBridge",
        SignalR => "SignalR",
        _ => "Raw WebSocket",
    };
}

/// <summary>
/// The event's own fields, the same object for every contender: the user index <c>u</c> (so a client can
/// prove it only got its own user's events), the per-user counter <c>n</c>, the emit time <c>t</c>
/// (<see cref="System.Diagnostics.Stopwatch"/> ticks, monotonic and machine-wide on Linux) and some text.
/// </summary>
internal sealed record BenchData(int U, long N, long T, string Text);

/// <summary>SignalR's payload: the same fields as an AgentBridge frame (type, a per-user counter, thread, run, timestamp, data).</summary>
internal sealed record BenchEvent(string Type, long Seq, string ThreadId, string RunId, DateTimeOffset Timestamp, BenchData Data);

/// <summary>Names shared by the harness and the server process.</summary>
internal static class Bench
{
    public const string EventType = "tool_completed";

    public static string UserId(int index) => "user-" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static string ThreadId(int index) => "thread-" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static string Text(int length) => new string('x', length);
}
