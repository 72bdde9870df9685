using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using AgentBridge.Benchmarks.Runtime;

if (args.Length >= 2 && args[0] == "--server")
{
    return await Server.RunAsync(args[1]);
}

if (args.Contains("--stall"))
{
    try
    {
        return await StallCost.RunAsync(args);
    }
    catch (ArgumentException ex)
    {
        await Console.Error.WriteLineAsync(ex.Message);
        return 2;
    }
}

Options options;
try
{
    options = Options.Parse(args);
}
catch (ArgumentException ex)
{
    await Console.Error.WriteLineAsync(ex.Message);
    await Console.Error.WriteLineAsync(Options.Usage);
    return 2;
}

return await Harness.RunAsync(options);

namespace AgentBridge.Benchmarks.Runtime
{
    /// <summary>Command-line options. <c>--smoke</c> sets small defaults; explicit options still override them.</summary>
    internal sealed class Options
    {
        public const string Usage =
            "usage: [--smoke] [--rounds 5] [--warmup 1] [--users 50] [--conns 1-3|N] [--events 4000] [--window 16] [--ack-every 4] [--text 256] [--idle 1000,5000|none] [--contenders agentbridge,signalr,raw]";

        public bool Smoke { get; private set; }

        public int Rounds { get; private set; } = 5;

        public int Warmup { get; private set; } = 1;

        public int Users { get; private set; } = 50;

        /// <summary>Connections per user: a fixed number, or a range cycled over users (1-3: 1, 2, 3, 1, 2, 3, …).</summary>
        public (int Min, int Max) Conns { get; private set; } = (1, 3);

        public int Events { get; private set; } = 4000;

        public int Window { get; private set; } = 16;

        public int AckEvery { get; private set; } = 4;

        public int Text { get; private set; } = 256;

        public int[] Idle { get; private set; } = [1000, 5000];

        /// <summary>Which contenders run (all three by default; a subset is for profiling one of them).</summary>
        public string[] Contenders { get; private set; } = Contender.All;

        /// <summary>Seconds to keep each idle-memory server up after measuring it, to take a heap dump (<c>dotnet-gcdump collect -p PID</c>).</summary>
        public int IdleHold { get; private set; }

        public int ConnectionsOf(int user) => Conns.Min + (user % (Conns.Max - Conns.Min + 1));

        public static Options Parse(string[] args)
        {
            var o = new Options();
            if (args.Contains("--smoke"))
            {
                o.Smoke = true;
                o.Rounds = 2;
                o.Warmup = 0;
                o.Users = 10;
                o.Events = 30;
                o.Idle = [20];
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
                    case "--events": o.Events = Math.Max(1, NextInt()); break;
                    case "--window": o.Window = Math.Max(1, NextInt()); break;
                    case "--ack-every": o.AckEvery = Math.Max(1, NextInt()); break;
                    case "--text": o.Text = NextInt(); break;
                    case "--conns":
                        var c = Next().Split('-');
                        o.Conns = (int.Parse(c[0], CultureInfo.InvariantCulture), int.Parse(c[^1], CultureInfo.InvariantCulture));
                        if (o.Conns.Min < 1 || o.Conns.Max < o.Conns.Min)
                        {
                            throw new ArgumentException("bad --conns");
                        }

                        break;
                    case "--contenders":
                        o.Contenders = Next().Split(',');
                        if (o.Contenders.Any(c => !Contender.All.Contains(c)))
                        {
                            throw new ArgumentException("--contenders takes a comma-separated subset of " + string.Join(',', Contender.All));
                        }

                        break;
                    case "--idle-hold": o.IdleHold = NextInt(); break;
                    case "--idle":
                        var v = Next();
                        o.Idle = v == "none" ? [] : v.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
                        break;
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

    internal static class Harness
    {
        public static async Task<int> RunAsync(Options o)
        {
            var output = new StringBuilder();
            var clock = Stopwatch.StartNew();
            void Progress(string what) => Console.Error.WriteLine(FormattableString.Invariant($"[{clock.Elapsed.TotalSeconds,6:F1} s] {what} (load {Machine.LoadAverage()})"));
            void Say(string line = "")
            {
                Console.WriteLine(line);
                output.AppendLine(line);
            }

            Say("# Runtime delivery benchmark" + (o.Smoke ? " (smoke)" : string.Empty));
            Say();
            Say("| machine | |");
            Say("|---|---|");
            Say($"| date (UTC) | {DateTime.UtcNow:yyyy-MM-dd HH:mm} |");
            Say($"| cores (nproc) | {Environment.ProcessorCount} |");
            Say($"| CPU | {Machine.CpuModel()} |");
            Say($"| memory | {Machine.MemoryGiB()} |");
            Say($"| OS | {RuntimeInformation.OSDescription} |");
            Say($"| .NET | {RuntimeInformation.FrameworkDescription}, server processes on Server GC |");
            Say($"| load average at start (1/5/15 min) | {Machine.LoadAverage()} |");
            Say();
            var totalConnections = Enumerable.Range(0, o.Users).Sum(o.ConnectionsOf);
            Say($"Workload: {o.Users} users, {totalConnections} connections ({o.Conns.Min}-{o.Conns.Max} per user), {o.Events} events per user per round "
                + $"({o.Users * o.Events} events, {totalConnections * o.Events} deliveries), {o.Text}-character text in each event; "
                + $"closed loop: each user's emitter at most {o.Window} events ahead of the slowest of its connections (acknowledged every {o.AckEvery}); "
                + $"{o.Warmup} warm-up round(s), then {o.Rounds} measured rounds in the order AgentBridge, SignalR, Raw.");
            Say();

            var failures = new List<string>();
            var memory = new List<(int Count, string Contender, double HeapPerConnection, double WorkingSetPerConnection)>();
            var results = new List<RoundResult>();
            var servers = new Dictionary<string, ServerProcess>();
            var fleets = new Dictionary<string, Fleet>();
            try
            {
                Progress("starting the servers");
                var started = await Task.WhenAll(o.Contenders.Select(c => ServerProcess.StartAsync(c)));
                foreach (var server in started)
                {
                    servers[server.Contender] = server;
                }

                foreach (var contender in o.Contenders)
                {
                    var server = servers[contender];
                    var fleet = new Fleet(server, o.AckEvery);
                    fleets[contender] = fleet;
                    await fleet.ConnectAsync(0, o.Users, o.ConnectionsOf);
                    await fleet.OpenAckSocketAsync();
                }

                long start = 0;
                var timeout = TimeSpan.FromSeconds((o.Smoke ? 20 : 60) + (o.Events * (double)totalConnections / 5000));
                Progress("connected");
                for (var w = 0; w < o.Warmup; w++)
                {
                    foreach (var contender in o.Contenders)
                    {
                        await fleets[contender].RunRoundAsync(-w, o.Events, o.Window, o.Text, start, timeout);
                    }

                    start += o.Events;
                }

                Say("## Rounds");
                Say();
                Say("| round | contender | deliveries/s | p50 µs | p99 µs | max µs | server alloc B/event | server CPU µs/event | GCs 0/1/2 |");
                Say("|---:|---|---:|---:|---:|---:|---:|---:|---|");
                for (var round = 1; round <= o.Rounds; round++)
                {
                    Progress(FormattableString.Invariant($"round {round}"));
                    foreach (var contender in o.Contenders)
                    {
                        var r = await fleets[contender].RunRoundAsync(round, o.Events, o.Window, o.Text, start, timeout);
                        results.Add(r);
                        Say(FormattableString.Invariant(
                            $"| {round} | {Contender.Label(contender)} | {r.DeliveredPerSecond:N0} | {r.P50Micros:N0} | {r.P99Micros:N0} | {r.MaxMicros:N0} | {r.AllocatedBytesPerEvent:N0} | {r.CpuMicrosPerEvent:N1} | {r.Gen0}/{r.Gen1}/{r.Gen2} |"));
                    }

                    start += o.Events;
                }

                Say();
                Say($"Load average after the rounds: {Machine.LoadAverage()}");
                Say();
                Report.Summaries(results, Say);
                if (o.Smoke)
                {
                    // The smoke run measures idle connections on the servers it already has (no restarts), so it stays short.
                    foreach (var count in o.Idle)
                    {
                        foreach (var contender in o.Contenders)
                        {
                            Progress(FormattableString.Invariant($"idle memory: {contender}, {count} connections"));
                            var idle = new Fleet(servers[contender], ackEvery: 1);
                            try
                            {
                                var (heap, workingSet) = await MeasureIdleAsync(servers[contender], idle, o.Users, count, o.IdleHold);
                                memory.Add((count, contender, heap, workingSet));
                            }
                            finally
                            {
                                failures.AddRange(idle.Failures);
                                await idle.DisposeAsync();
                            }
                        }
                    }
                }
            }
            finally
            {
                foreach (var fleet in fleets.Values)
                {
                    failures.AddRange(fleet.Failures);
                    await fleet.DisposeAsync();
                }

                foreach (var server in servers.Values)
                {
                    await server.DisposeAsync();
                }
            }

            foreach (var count in o.Smoke ? [] : o.Idle)
            {
                foreach (var contender in o.Contenders)
                {
                    Progress(FormattableString.Invariant($"idle memory: {contender}, {count} connections"));
                    var (heap, workingSet, failed) = await IdleMemoryAsync(contender, count, o.IdleHold);
                    failures.AddRange(failed);
                    memory.Add((count, contender, heap, workingSet));
                }
            }

            if (memory.Count > 0)
            {
                Say();
                if (o.Smoke)
                {
                    Say("(smoke: idle connections added to the benchmark's own servers after the rounds; indicative only)");
                }

                Report.Memory(memory, Say);
                Say();
                Say($"Load average at the end: {Machine.LoadAverage()}");
            }

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

            Say($"Count check passed: every event reached every connection of its user exactly once, in order, and no other user's connection ({results.Sum(r => r.Delivered):N0} deliveries checked).");
            if (!o.Smoke)
            {
                var path = Path.Combine(Path.GetTempPath(), FormattableString.Invariant($"agentbridge-runtime-benchmark-{DateTime.UtcNow:yyyyMMdd-HHmmss}.md"));
                await File.WriteAllTextAsync(path, output.ToString());
                Console.WriteLine("Results written to " + path);
            }

            return 0;
        }

        /// <summary>Opens <paramref name="count"/> idle connections (two per user, users from <paramref name="firstUser"/>) and returns the server's growth per connection.</summary>
        private static async Task<(double Heap, double WorkingSet)> MeasureIdleAsync(ServerProcess server, Fleet fleet, int firstUser, int count, int holdSeconds)
        {
            await Task.Delay(500);
            var before = await server.MemoryAsync();
            var users = (count + 1) / 2;
            await fleet.ConnectAsync(firstUser, users, u => u == firstUser + users - 1 && count % 2 == 1 ? 1 : 2);
            await Task.Delay(1000);
            var after = await server.MemoryAsync();
            if (holdSeconds > 0)
            {
                Console.Error.WriteLine(FormattableString.Invariant($"holding the {server.Contender} server (pid {server.ProcessId}) with {count} idle connections for {holdSeconds} s"));
                await Task.Delay(TimeSpan.FromSeconds(holdSeconds));
            }

            return ((after.GcHeapBytes - before.GcHeapBytes) / (double)count, (after.WorkingSetBytes - before.WorkingSetBytes) / (double)count);
        }

        /// <summary>Memory per idle connection: a fresh server, 10 warm-up connections, then <paramref name="count"/> more (two per user).</summary>
        private static async Task<(double Heap, double WorkingSet, IReadOnlyList<string> Failures)> IdleMemoryAsync(string contender, int count, int holdSeconds)
        {
            var server = await ServerProcess.StartAsync(contender);
            var fleet = new Fleet(server, ackEvery: 1);
            try
            {
                await fleet.ConnectAsync(0, 5, _ => 2);
                var (heap, workingSet) = await MeasureIdleAsync(server, fleet, 5, count, holdSeconds);
                return (heap, workingSet, fleet.Failures);
            }
            finally
            {
                await server.KillAsync();
                await fleet.DisposeAsync();
            }
        }
    }

    internal static class Report
    {
        public static void Summaries(List<RoundResult> results, Action<string> say)
        {
            say("## Per contender (min / median / max over rounds)");
            say(string.Empty);
            say("| contender | deliveries/s | p50 µs | p99 µs | max µs | server alloc B/event | server CPU µs/event |");
            say("|---|---:|---:|---:|---:|---:|---:|");
            foreach (var contender in Contender.All.Where(c => results.Any(r => r.Contender == c)))
            {
                var mine = results.Where(r => r.Contender == contender).ToList();
                say($"| {Contender.Label(contender)} | {Mmm(mine.Select(r => r.DeliveredPerSecond), "N0")} | {Mmm(mine.Select(r => r.P50Micros), "N0")} | {Mmm(mine.Select(r => r.P99Micros), "N0")} | {Mmm(mine.Select(r => r.MaxMicros), "N0")} | {Mmm(mine.Select(r => r.AllocatedBytesPerEvent), "N0")} | {Mmm(mine.Select(r => r.CpuMicrosPerEvent), "N1")} |");
            }

            say(string.Empty);
            say("## Ratios (per round, AgentBridge against the contender measured next to it; min / median / max over rounds)");
            say(string.Empty);
            say("| ratio | target | min | median | max | met (median) |");
            say("|---|---|---:|---:|---:|---|");
            var rounds = results.GroupBy(r => r.Round).Select(g => g.ToDictionary(r => r.Contender)).ToList();
            void Ratio(string name, string target, string other, Func<RoundResult, double> metric, Func<double, bool> met)
            {
                var values = rounds
                    .Where(d => d.ContainsKey(Contender.AgentBridge) && d.ContainsKey(other))
                    .Select(d => metric(d[Contender.AgentBridge]) / metric(d[other]))
                    .Order()
                    .ToList();
                if (values.Count == 0)
                {
                    return;
                }

                var median = Median(values);
                var verdict = target == "(info)" ? "-" : met(median) ? "yes" : "no";
                say(FormattableString.Invariant($"| {name} | {target} | {values[0]:F2} | {median:F2} | {values[^1]:F2} | {verdict} |"));
            }

            Ratio("AgentBridge ÷ Raw deliveries/s", "≥ 0.90", Contender.Raw, r => r.DeliveredPerSecond, v => v >= 0.90);
            Ratio("AgentBridge ÷ SignalR deliveries/s", "≥ 1.40", Contender.SignalR, r => r.DeliveredPerSecond, v => v >= 1.40);
            Ratio("AgentBridge ÷ SignalR p99 latency", "≤ 1.00", Contender.SignalR, r => r.P99Micros, v => v <= 1.00);
            Ratio("AgentBridge ÷ Raw p99 latency", "(info)", Contender.Raw, r => r.P99Micros, _ => true);
            Ratio("AgentBridge ÷ SignalR p50 latency", "(info)", Contender.SignalR, r => r.P50Micros, _ => true);
            Ratio("AgentBridge ÷ SignalR server alloc/event", "(info)", Contender.SignalR, r => r.AllocatedBytesPerEvent, _ => true);
            Ratio("AgentBridge ÷ Raw server alloc/event", "(info)", Contender.Raw, r => r.AllocatedBytesPerEvent, _ => true);
            Ratio("AgentBridge ÷ SignalR server CPU/event", "(info)", Contender.SignalR, r => r.CpuMicrosPerEvent, _ => true);
            Ratio("AgentBridge ÷ Raw server CPU/event", "(info)", Contender.Raw, r => r.CpuMicrosPerEvent, _ => true);
        }

        public static void Memory(List<(int Count, string Contender, double Heap, double WorkingSet)> memory, Action<string> say)
        {
            say("## Memory per idle connection (server process, after a full GC; delta over a server with 10 warm connections)");
            say(string.Empty);
            say("| idle connections | contender | GC heap B/connection | working set B/connection | heap ÷ SignalR's |");
            say("|---:|---|---:|---:|---:|");
            foreach (var row in memory)
            {
                var signalR = memory.FirstOrDefault(m => m.Count == row.Count && m.Contender == Contender.SignalR).Heap;
                say(FormattableString.Invariant($"| {row.Count:N0} | {Contender.Label(row.Contender)} | {row.Heap:N0} | {row.WorkingSet:N0} | {(signalR > 0 ? (row.Heap / signalR).ToString("F2", CultureInfo.InvariantCulture) : "-")} |"));
            }
        }

        private static string Mmm(IEnumerable<double> values, string format)
        {
            var sorted = values.Order().ToList();
            return sorted.Count == 0
                ? "-"
                : string.Join(" / ", new[] { sorted[0], Median(sorted), sorted[^1] }.Select(v => v.ToString(format, CultureInfo.InvariantCulture)));
        }

        private static double Median(List<double> sorted) =>
            sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
