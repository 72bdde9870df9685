using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using AgentBridge.Benchmarks.Runtime;
using AgentBridge.Benchmarks.ScaleOut;

if (args.Length >= 2 && args[0] == "--server")
{
    return await Server.RunAsync(args[1], ScaleOutWiring.Services(args[2..]), ScaleOutWiring.MapFault);
}

ScaleOutOptions options;
try
{
    options = ScaleOutOptions.Parse(args);
}
catch (ArgumentException ex)
{
    await Console.Error.WriteLineAsync(ex.Message);
    await Console.Error.WriteLineAsync(ScaleOutOptions.Usage);
    return 2;
}

return await ScaleOutHarness.RunAsync(options);

namespace AgentBridge.Benchmarks.ScaleOut
{
    /// <summary>Command-line options. <c>--smoke</c> sets small defaults; explicit options still override them.</summary>
    internal sealed class ScaleOutOptions
    {
        public const string Usage =
            "usage: [--smoke] [--rounds 3] [--warmup 1] [--users 50] [--conns 2] [--events 1000] [--window 16] [--ack-every 4] [--text 256] "
            + "[--fault-users 20] [--fault-events 300] [--fault-interval 10] [--outage-ms 1500] [--floor-seconds 4] [--fanout|--no-fanout] [--skip-throughput] [--skip-floor] [--skip-fault]";

        public bool Smoke { get; private set; }

        public int Rounds { get; private set; } = 3;

        public int Warmup { get; private set; } = 1;

        public int Users { get; private set; } = 50;

        public int Conns { get; private set; } = 2;

        public int Events { get; private set; } = 1000;

        public int Window { get; private set; } = 16;

        public int AckEvery { get; private set; } = 4;

        public int Text { get; private set; } = 256;

        public int FaultUsers { get; private set; } = 20;

        public int FaultEvents { get; private set; } = 300;

        public int FaultInterval { get; private set; } = 10;

        public int OutageMs { get; private set; } = 1500;

        public bool Fanout { get; private set; } = true;

        public bool Throughput { get; private set; } = true;

        public bool Fault { get; private set; } = true;

        public bool Floor { get; private set; } = true;

        public int FloorSeconds { get; private set; } = 4;

        public static ScaleOutOptions Parse(string[] args)
        {
            var o = new ScaleOutOptions();
            if (args.Contains("--smoke"))
            {
                o.Smoke = true;
                o.Rounds = 1;
                o.Warmup = 0;
                o.Users = 6;
                o.Events = 40;
                o.FaultUsers = 3;
                o.FaultEvents = 60;
                o.FaultInterval = 15;
                o.OutageMs = 500;
                o.Fanout = false;
                o.FloorSeconds = 1;
            }

            for (var i = 0; i < args.Length; i++)
            {
                string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException("missing value for " + args[i]);
                int NextInt() => int.TryParse(Next(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= 0 ? v : throw new ArgumentException("bad number for " + args[i - 1]);
                switch (args[i])
                {
                    case "--smoke": break;
                    case "--rounds": o.Rounds = Math.Max(1, NextInt()); break;
                    case "--warmup": o.Warmup = NextInt(); break;
                    case "--users": o.Users = Math.Max(1, NextInt()); break;
                    case "--conns": o.Conns = Math.Max(1, NextInt()); break;
                    case "--events": o.Events = Math.Max(1, NextInt()); break;
                    case "--window": o.Window = Math.Max(1, NextInt()); break;
                    case "--ack-every": o.AckEvery = Math.Max(1, NextInt()); break;
                    case "--text": o.Text = NextInt(); break;
                    case "--fault-users": o.FaultUsers = Math.Max(1, NextInt()); break;
                    case "--fault-events": o.FaultEvents = Math.Max(3, NextInt()); break;
                    case "--fault-interval": o.FaultInterval = NextInt(); break;
                    case "--outage-ms": o.OutageMs = NextInt(); break;
                    case "--fanout": o.Fanout = true; break;
                    case "--no-fanout": o.Fanout = false; break;
                    case "--skip-throughput": o.Throughput = false; break;
                    case "--skip-fault": o.Fault = false; break;
                    case "--skip-floor": o.Floor = false; break;
                    case "--floor-seconds": o.FloorSeconds = Math.Max(1, NextInt()); break;
                    default: throw new ArgumentException("unknown option " + args[i]);
                }
            }

            if (o.AckEvery > o.Window)
            {
                throw new ArgumentException("--ack-every must not exceed --window");
            }

            return o;
        }
    }

    internal static class ScaleOutHarness
    {
        private const string ShardedPubSub = "agentbridge-sharded";
        private const string ClassicPubSub = "agentbridge-classic";

        public static async Task<int> RunAsync(ScaleOutOptions o)
        {
            var clock = Stopwatch.StartNew();
            var output = new StringBuilder();
            void Progress(string what) => Console.Error.WriteLine(FormattableString.Invariant($"[{clock.Elapsed.TotalSeconds,6:F1} s] {what} (load {Machine.LoadAverage()})"));
            void Say(string line = "")
            {
                Console.WriteLine(line);
                output.AppendLine(line);
            }

            Say("# Scale-out benchmark: two nodes on Redis" + (o.Smoke ? " (smoke)" : string.Empty));
            Say();
            Say("| machine | |");
            Say("|---|---|");
            Say($"| date (UTC) | {DateTime.UtcNow:yyyy-MM-dd HH:mm} |");
            Say($"| cores (nproc) | {Environment.ProcessorCount} |");
            Say($"| CPU | {Machine.CpuModel()} |");
            Say($"| memory | {Machine.MemoryGiB()} |");
            Say($"| OS | {RuntimeInformation.OSDescription} |");
            Say($"| .NET | {RuntimeInformation.FrameworkDescription}, node processes on Server GC |");
            Say($"| Redis | {await RedisVersionAsync()} |");
            Say($"| load average at start (1/5/15 min) | {Machine.LoadAverage()} |");
            Say();

            var failures = new List<string>();
            if (o.Throughput)
            {
                Say($"## Two nodes, one Redis: the agent on node A, every socket on node B");
                Say();
                Say($"{o.Users} users × {o.Conns} connections on node B, {o.Events} events per user per round emitted on node A ({o.Users * o.Events} events, "
                    + $"{o.Users * o.Conns * o.Events} deliveries), {o.Text}-character text; closed loop: each user's emitter at most {o.Window} events ahead "
                    + $"of the slowest of its connections; {o.Warmup} warm-up round(s), then {o.Rounds} rounds, AgentBridge and SignalR alternating. "
                    + "Server CPU and allocations are both nodes' together.");
                Say();
                await using var redis = await RedisProcess.StartAsync();
                var results = await RoundsAsync(o, redis.Configuration, [(Contender.AgentBridge, Contender.AgentBridge, []), (Contender.SignalR, Contender.SignalR, [])], redisStats: [], Progress, failures);
                Table(results, o.Conns, Say);
                Say();
                Ratios(results, o.Conns, Contender.AgentBridge, Contender.SignalR, Say);
                Say();
            }

            if (o.Floor)
            {
                Say("## The emit alone: one round trip through Redis per emit, no sockets");
                Say();
                Say($"{o.Users} users' emitters in the harness process, each awaiting one emit after the other, as node A's do; both products wired as the nodes "
                    + $"wire them, and two bare StackExchange.Redis calls of the same shapes as the floors under them; {o.Rounds} rounds of {o.FloorSeconds} s per variant "
                    + "after a warm-up, the variants alternating. The CPU is the harness process's (workstation GC) and Redis's.");
                Say();
                failures.AddRange(await EmitFloor.RunAsync(o.Users, o.Rounds, TimeSpan.FromSeconds(o.FloorSeconds), o.Text, Say, Progress));
                Say();
            }

            if (o.Fault)
            {
                Say("## Faults mid-stream: Redis killed and restarted; pub/sub connections cut");
                Say();
                Say($"{o.FaultUsers} users, one connection each on node B; each user's run on node A emits {o.FaultEvents} events, {o.FaultInterval} ms apart. "
                    + $"Redis (append-only file, fsync on every write) is killed (SIGKILL) a third of the way through and started again {o.OutageMs} ms later; "
                    + $"in the second scenario Redis stays up and its pub/sub connections are cut three times, {o.OutageMs} ms apart. "
                    + "AgentBridge clients follow docs/protocol.md (de-duplicate by seq; reconnect and resume after a close); SignalR clients use WithAutomaticReconnect.");
                Say();
                Say("| fault | contender | emitted without exception | emits that threw | received | lost (of those emitted without exception) | received although the emit threw | duplicates | out of order | reconnects | told not recovered |");
                Say("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
                foreach (var (fault, cut) in new[] { ("Redis killed", false), ("pub/sub cut ×3", true) })
                {
                    foreach (var contender in new[] { Contender.AgentBridge, Contender.SignalR })
                    {
                        Progress($"fault scenario ({fault}): {contender}");
                        var r = await FaultScenario.RunAsync(contender, o.FaultUsers, o.FaultEvents, o.FaultInterval, o.Text, TimeSpan.FromMilliseconds(o.OutageMs), cut, Progress);
                        Say(FormattableString.Invariant(
                            $"| {fault} | {Contender.Label(contender)} | {r.EmittedOk:N0} | {r.EmitExceptions:N0} | {r.Received:N0} | {r.Lost:N0} | {r.DeliveredDespiteException:N0} | {r.Duplicates:N0} | {r.OutOfOrder:N0} | {r.Reconnects:N0} | {r.NotRecovered:N0} |"));
                        if (contender == Contender.AgentBridge && (r.Lost > 0 || r.Duplicates > 0 || r.OutOfOrder > 0 || r.EmittedOk == 0))
                        {
                            failures.Add($"AgentBridge in the fault scenario ({fault}): {r.Lost} lost, {r.Duplicates} duplicated, {r.OutOfOrder} out of order, {r.EmittedOk} emitted");
                        }
                    }
                }

                Say();
            }

            if (o.Fanout)
            {
                Say("## Fan-out on a Redis Cluster of three masters: sharded pub/sub against classic PUBLISH");
                Say();
                Say("The same two-node workload, AgentBridge only, once with each kind of channel (the option UseShardedPubSub). "
                    + "Redis CPU and cluster-bus messages are summed over the three masters.");
                Say();
                var masters = await RedisProcess.StartClusterAsync();
                try
                {
                    var configuration = string.Join(',', masters.Select(m => m.Configuration));
                    var stats = new Dictionary<RoundResult, (double CpuMicros, double BusMessages)>();
                    var results = await RoundsAsync(
                        o,
                        configuration,
                        [(ShardedPubSub, Contender.AgentBridge, []), (ClassicPubSub, Contender.AgentBridge, ["--pubsub", "classic"])],
                        stats,
                        Progress,
                        failures,
                        masters);
                    Table(results, o.Conns, Say, stats);
                    Say();
                    Ratios(results, o.Conns, ShardedPubSub, ClassicPubSub, Say);
                }
                finally
                {
                    foreach (var master in masters)
                    {
                        await master.DisposeAsync();
                    }
                }

                Say();
            }

            Say($"Load average at the end: {Machine.LoadAverage()}");
            Say();
            if (failures.Count > 0)
            {
                Say("## COUNT CHECK FAILED");
                foreach (var failure in failures)
                {
                    Say("- " + failure);
                }

                return 1;
            }

            Say("Count check passed: in the rounds every event reached every connection of its user exactly once, in order, and no other user's; "
                + "in the fault scenario AgentBridge lost none of the events emitted without an exception.");
            if (!o.Smoke)
            {
                var path = Path.Combine(Path.GetTempPath(), FormattableString.Invariant($"agentbridge-scaleout-benchmark-{DateTime.UtcNow:yyyyMMdd-HHmmss}.md"));
                await File.WriteAllTextAsync(path, output.ToString());
                Console.WriteLine("Results written to " + path);
            }

            return 0;
        }

        /// <summary>
        /// Starts node A and node B of each variant on <paramref name="redis"/>, connects the users to node B, and runs the
        /// closed-loop rounds, the variants alternating within each round.
        /// </summary>
        private static async Task<List<RoundResult>> RoundsAsync(
            ScaleOutOptions o,
            string redis,
            (string Label, string Contender, string[] Options)[] variants,
            Dictionary<RoundResult, (double CpuMicros, double BusMessages)> redisStats,
            Action<string> progress,
            List<string> failures,
            RedisProcess[]? masters = null)
        {
            var nodes = new List<ServerProcess>();
            var fleets = new Dictionary<string, Fleet>();
            var results = new List<RoundResult>();
            try
            {
                foreach (var (label, contender, extra) in variants)
                {
                    progress($"starting {label}: node A and node B");
                    string[] options = ["--redis", redis, "--prefix", label, .. extra];
                    var a = await ServerProcess.StartAsync(contender, options);
                    nodes.Add(a);
                    var b = await ServerProcess.StartAsync(contender, options);
                    nodes.Add(b);
                    var fleet = new Fleet(b, o.AckEvery, emitter: a);
                    fleets[label] = fleet;
                    await fleet.ConnectAsync(0, o.Users, _ => o.Conns);
                    await fleet.OpenAckSocketAsync();
                }

                var timeout = TimeSpan.FromSeconds((o.Smoke ? 30 : 90) + (o.Events * (double)o.Users * o.Conns / 2000));
                long start = 0;
                for (var round = 1 - o.Warmup; round <= o.Rounds; round++)
                {
                    progress(round <= 0 ? "warm-up round" : FormattableString.Invariant($"round {round}"));
                    foreach (var (label, _, _) in variants)
                    {
                        var before = masters is null ? default : await RedisCountersAsync(masters);
                        var r = await fleets[label].RunRoundAsync(round, o.Events, o.Window, o.Text, start, timeout) with { Contender = label };
                        if (round <= 0)
                        {
                            continue;
                        }

                        results.Add(r);
                        if (masters is not null)
                        {
                            var after = await RedisCountersAsync(masters);
                            redisStats[r] = ((after.CpuSeconds - before.CpuSeconds) * 1e6 / r.Emitted, (after.BusMessages - before.BusMessages) / r.Emitted);
                        }
                    }

                    start += o.Events;
                }
            }
            finally
            {
                foreach (var fleet in fleets.Values)
                {
                    failures.AddRange(fleet.Failures);
                    await fleet.DisposeAsync();
                }

                foreach (var node in nodes)
                {
                    await node.DisposeAsync();
                }
            }

            return results;
        }

        private static async Task<(double CpuSeconds, double BusMessages)> RedisCountersAsync(RedisProcess[] masters)
        {
            double cpu = 0, bus = 0;
            foreach (var master in masters)
            {
                cpu += await master.InfoFieldAsync("used_cpu_user") + await master.InfoFieldAsync("used_cpu_sys");
                bus += await master.InfoFieldAsync("cluster_stats_messages_publish_sent", cluster: true)
                    + await master.InfoFieldAsync("cluster_stats_messages_publishshard_sent", cluster: true);
            }

            return (cpu, bus);
        }

        private static void Table(List<RoundResult> results, int conns, Action<string> say, Dictionary<RoundResult, (double CpuMicros, double BusMessages)>? redis = null)
        {
            var withRedis = redis is { Count: > 0 };
            say("| round | variant | events/s | deliveries/s | p50 µs | p99 µs | lost | nodes' CPU µs/event | nodes' alloc B/event" + (withRedis ? " | Redis CPU µs/event | cluster-bus publish messages/event |" : " |"));
            say("|---:|---|---:|---:|---:|---:|---:|---:|---:" + (withRedis ? "|---:|---:|" : "|"));
            foreach (var r in results)
            {
                var line = FormattableString.Invariant(
                    $"| {r.Round} | {Label(r.Contender)} | {r.Emitted / r.Seconds:N0} | {r.DeliveredPerSecond:N0} | {r.P50Micros:N0} | {r.P99Micros:N0} | {Lost(r, conns):N0} | {r.CpuMicrosPerEvent:N1} | {r.AllocatedBytesPerEvent:N0} |");
                if (withRedis)
                {
                    var (cpu, bus) = redis![r];
                    line += FormattableString.Invariant($" {cpu:N1} | {bus:N2} |");
                }

                say(line);
            }
        }

        /// <summary>Per round, the first variant against the second; min / median / max over the rounds.</summary>
        private static void Ratios(List<RoundResult> results, int conns, string mine, string other, Action<string> say)
        {
            say($"| ratio ({Label(mine)} ÷ {Label(other)}) | target | min | median | max | met (median) |");
            say("|---|---|---:|---:|---:|---|");
            var rounds = results.GroupBy(r => r.Round).Select(g => g.ToDictionary(r => r.Contender)).Where(d => d.ContainsKey(mine) && d.ContainsKey(other)).ToList();
            void Ratio(string name, string target, Func<RoundResult, double> metric, Func<double, bool>? met)
            {
                var values = rounds.Select(d => metric(d[mine]) / metric(d[other])).Order().ToList();
                if (values.Count == 0)
                {
                    return;
                }

                var median = Median(values);
                var verdict = met is null ? "-" : met(median) ? "yes" : "no";
                say(FormattableString.Invariant($"| {name} | {target} | {values[0]:F2} | {median:F2} | {values[^1]:F2} | {verdict} |"));
            }

            var targets = other == Contender.SignalR;
            Ratio("throughput (events/s)", targets ? "≥ 1.00" : "(info)", r => r.Emitted / r.Seconds, targets ? v => v >= 1.0 : null);
            Ratio("p99 latency", targets ? "≤ 1.00" : "(info)", r => r.P99Micros, targets ? v => v <= 1.0 : null);
            Ratio("p50 latency", "(info)", r => r.P50Micros, null);
            Ratio("nodes' CPU per event", "(info)", r => r.CpuMicrosPerEvent, null);
            say(string.Empty);
            say(FormattableString.Invariant($"Lost in the rounds: {Label(mine)} {results.Where(r => r.Contender == mine).Sum(r => Lost(r, conns)):N0}, {Label(other)} {results.Where(r => r.Contender == other).Sum(r => Lost(r, conns)):N0}."));
        }

        /// <summary>The median of <paramref name="values"/>, the mean of the middle two for an even count.</summary>
        internal static double Median(IEnumerable<double> values)
        {
            var sorted = values.Order().ToList();
            return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
        }

        /// <summary>Deliveries that never came: every connection of a user should have every event of the user.</summary>
        private static long Lost(RoundResult r, int conns) => Math.Max(0, (r.Emitted * conns) - r.Delivered);

        private static string Label(string variant) => variant switch
        {
            ShardedPubSub => "AgentBridge, sharded pub/sub",
            ClassicPubSub => "AgentBridge, classic pub/sub",
            _ => Contender.Label(variant) + " + Redis",
        };

        private static async Task<string> RedisVersionAsync()
        {
            try
            {
                var start = new ProcessStartInfo("redis-server", "--version") { RedirectStandardOutput = true, UseShellExecute = false };
                using var process = Process.Start(start)!;
                return (await process.StandardOutput.ReadToEndAsync()).Trim();
            }
            catch (System.ComponentModel.Win32Exception)
            {
                return "redis-server not found: apt-get install redis-server redis-tools";
            }
        }
    }
}
