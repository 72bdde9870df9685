using System.Diagnostics;
using System.Text.Json;
using AgentBridge.Benchmarks.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace AgentBridge.Benchmarks.ScaleOut;

/// <summary>
/// The emitting side alone, in the harness process, against one redis-server: every user's emitter awaits one emit
/// after the other, as node A's emitters do, with no socket anywhere. AgentBridge's emit (the numbering Lua script) and
/// SignalR's (one <c>PUBLISH</c>) through the products, and two bare StackExchange.Redis calls of the same shapes as
/// the floors under them: a <c>PUBLISH</c>, and an <c>EVALSHA</c> of a script that does nothing. It shows how much of
/// the two-node gap the emit's round trip through Redis sets before any delivery.
/// </summary>
internal static class EmitFloor
{
    private const string BarePublish = "bare PUBLISH";
    private const string EmptyScript = "bare EVALSHA of an empty script";
    private const string AgentBridgeEmit = "AgentBridge emit (Lua script)";
    private const string SignalREmit = "SignalR SendAsync (PUBLISH)";

    public static async Task<List<string>> RunAsync(int users, int rounds, TimeSpan duration, int textLength, Action<string> say, Action<string> progress)
    {
        await using var redis = await RedisProcess.StartAsync();
        await using var hosts = new Hosts(redis.Configuration, users, textLength);
        var variants = new (string Name, Func<int, long, ValueTask> Emit)[]
        {
            (SignalREmit, (user, n) => hosts.SignalR.EmitAsync(user, n, Stopwatch.GetTimestamp())),
            (AgentBridgeEmit, (user, n) => hosts.AgentBridge.EmitAsync(user, n, Stopwatch.GetTimestamp())),
            (BarePublish, hosts.PublishAsync),
            (EmptyScript, hosts.EmptyScriptAsync),
        };

        var results = new List<(int Round, string Variant, Measured Value)>();
        var failures = new List<string>();
        for (var round = 0; round <= rounds; round++)
        {
            progress(round == 0 ? "emit floor: warm-up round" : FormattableString.Invariant($"emit floor: round {round}"));
            foreach (var (name, emit) in variants)
            {
                var measured = await MeasureAsync(users, round == 0 ? TimeSpan.FromSeconds(1) : duration, emit, redis);
                if (measured.Failed > 0)
                {
                    failures.Add($"emit floor, {name}: {measured.Failed} emits threw");
                }

                if (round > 0)
                {
                    results.Add((round, name, measured));
                }
            }
        }

        say("| round | variant | emits/s | emitting process CPU µs/emit | Redis CPU µs/emit | p50 µs | p99 µs |");
        say("|---:|---|---:|---:|---:|---:|---:|");
        foreach (var (round, name, m) in results)
        {
            say(FormattableString.Invariant($"| {round} | {name} | {m.PerSecond:N0} | {m.ProcessMicros:N1} | {m.RedisMicros:N1} | {m.P50:N0} | {m.P99:N0} |"));
        }

        say(string.Empty);
        say("| ratio (per round, median over the rounds) | emits/s | Redis CPU per emit |");
        say("|---|---:|---:|");
        void Ratio(string mine, string other)
        {
            var rows = results.GroupBy(r => r.Round)
                .Select(g => (Mine: g.Single(r => r.Variant == mine).Value, Other: g.Single(r => r.Variant == other).Value))
                .ToList();
            say(FormattableString.Invariant(
                $"| {mine} ÷ {other} | {ScaleOutHarness.Median(rows.Select(r => r.Mine.PerSecond / r.Other.PerSecond)):F2} | {ScaleOutHarness.Median(rows.Select(r => r.Mine.RedisMicros / r.Other.RedisMicros)):F2} |"));
        }

        Ratio(AgentBridgeEmit, SignalREmit);
        Ratio(EmptyScript, BarePublish);
        Ratio(AgentBridgeEmit, EmptyScript);
        return failures;
    }

    /// <summary>Every user's loop emits for <paramref name="duration"/>, one emit at a time.</summary>
    private static async Task<Measured> MeasureAsync(int users, TimeSpan duration, Func<int, long, ValueTask> emit, RedisProcess redis)
    {
        var redisBefore = await RedisCpuAsync(redis);
        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var stop = 0;
        var failed = 0;
        var clock = Stopwatch.StartNew();
        var loops = Enumerable.Range(0, users).Select(user => Task.Run(async () =>
        {
            var latencies = new List<long>(4096);
            for (long n = 1; Volatile.Read(ref stop) == 0; n++)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    await emit(user, n);
                }
                catch (Exception)
                {
                    Interlocked.Increment(ref failed);
                }

                latencies.Add(Stopwatch.GetTimestamp() - started);
            }

            return latencies;
        })).ToArray();
        await Task.Delay(duration);
        Volatile.Write(ref stop, 1);
        var all = (await Task.WhenAll(loops)).SelectMany(l => l).Order().ToArray();
        var seconds = clock.Elapsed.TotalSeconds;
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpuBefore).TotalMicroseconds;
        var redisCpu = (await RedisCpuAsync(redis) - redisBefore) * 1e6;
        double Micros(double quantile) => all.Length == 0 ? 0 : all[(int)Math.Min(all.Length - 1, quantile * all.Length)] * 1e6 / Stopwatch.Frequency;
        return new Measured(all.Length / seconds, cpu / all.Length, redisCpu / all.Length, Micros(0.5), Micros(0.99), failed);
    }

    private static async Task<double> RedisCpuAsync(RedisProcess redis) =>
        await redis.InfoFieldAsync("used_cpu_user") + await redis.InfoFieldAsync("used_cpu_sys");

    private sealed record Measured(double PerSecond, double ProcessMicros, double RedisMicros, double P50, double P99, int Failed);

    /// <summary>Both products wired as the nodes wire them (not started: no sockets), and a bare connection.</summary>
    private sealed class Hosts : IAsyncDisposable
    {
        private readonly WebApplication _agentBridge;
        private readonly WebApplication _signalR;
        private readonly ConnectionMultiplexer _bare;
        private readonly RedisChannel[] _channels;
        private readonly RedisKey[][] _keys;
        private readonly byte[] _payload;
        private readonly byte[] _emptyScript;

        public Hosts(string redis, int users, int textLength)
        {
            _agentBridge = Build(Contender.AgentBridge, redis);
            _signalR = Build(Contender.SignalR, redis);
            AgentBridge = _agentBridge.Services.GetRequiredService<IEmitter>();
            SignalR = _signalR.Services.GetRequiredService<IEmitter>();
            AgentBridge.BeginRound(users, textLength);
            SignalR.BeginRound(users, textLength);
            _bare = ConnectionMultiplexer.Connect(redis);
            _emptyScript = Convert.FromHexString((string)_bare.GetDatabase().Execute("SCRIPT", "LOAD", "return 1")!);
            _channels = [.. Enumerable.Range(0, users).Select(u => RedisChannel.Literal("bare:{" + Bench.UserId(u) + "}:c"))];
            _keys = [.. Enumerable.Range(0, users).Select(u => new RedisKey[] { "bare:{" + Bench.UserId(u) + "}:m", "bare:{" + Bench.UserId(u) + "}:s" })];
            _payload = JsonSerializer.SerializeToUtf8Bytes(new BenchData(0, 0, 0, Bench.Text(textLength)));
        }

        public IEmitter AgentBridge { get; }

        public IEmitter SignalR { get; }

        public ValueTask PublishAsync(int user, long n) => new(_bare.GetDatabase().PublishAsync(_channels[user], _payload));

        /// <summary>The emit script's shape (two keys, ten arguments) with nothing in the script.</summary>
        public ValueTask EmptyScriptAsync(int user, long n) => new(_bare.GetDatabase().ScriptEvaluateAsync(
            _emptyScript,
            _keys[user],
            [_payload, 1000, 300000, 86400, "abcd", _channels[user].ToString(), "PUBLISH", string.Empty, 60, n]));

        public async ValueTask DisposeAsync()
        {
            await _agentBridge.DisposeAsync();
            await _signalR.DisposeAsync();
            await _bare.DisposeAsync();
        }

        private static WebApplication Build(string contender, string redis)
        {
            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
            builder.Logging.ClearProviders();
            switch (contender)
            {
                case Contender.AgentBridge:
                    builder.Services.AddAgentBridge();
                    builder.Services.AddSingleton<IEmitter, AgentBridgeEmitter>();
                    break;
                default:
                    builder.Services.AddSignalR();
                    builder.Services.AddSingleton<HubConnectionCount>();
                    builder.Services.AddSingleton<IEmitter, SignalREmitter>();
                    break;
            }

            ScaleOutWiring.Services(["--redis", redis, "--prefix", "floor-" + contender])(contender, builder.Services);
            return builder.Build();
        }
    }
}
