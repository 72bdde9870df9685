using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentBridge.Benchmarks.Runtime;

/// <summary>
/// What a stalled client costs a healthy user, and nothing else: the healthy user's emit-to-receive latency with
/// a second user's client connected and never reading, against the same run with that second user not connected.
/// Both variants emit the same events for both users (so serializing, numbering and keeping the second user's
/// events costs the same in both); only the stalled socket and its queue differ. Variants alternate round by
/// round, each round with a fresh stalled client that stays stalled to the end (its queue bounds are raised so it
/// is not closed mid-round).
/// </summary>
internal static class StallCost
{
    /// <summary>Events of the second user emitted before measuring: 8 MiB of 2 KiB events, more than loopback buffers take.</summary>
    private const int Prefill = 4096;

    public const string Usage = "usage: --stall [--smoke] [--rounds 60] [--events 20000] [--batch 50] [--padding 2048]";

    public static async Task<int> RunAsync(string[] args)
    {
        var smoke = args.Contains("--smoke");
        var rounds = smoke ? 2 : 60;
        var events = smoke ? 200 : 20_000;
        var batch = 50;
        var padding = 2048;
        for (var i = 0; i < args.Length; i++)
        {
            int Next() => i + 1 < args.Length && int.TryParse(args[++i], NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v > 0
                ? v
                : throw new ArgumentException("bad value for " + args[i - 1] + "\n" + Usage);
            switch (args[i])
            {
                case "--rounds": rounds = Next(); break;
                case "--events": events = Next(); break;
                case "--batch": batch = Next(); break;
                case "--padding": padding = Next(); break;
                case "--stall" or "--smoke": break;
                default: throw new ArgumentException("unknown option " + args[i] + "\n" + Usage);
            }
        }

        await using var app = await StartServerAsync(events);
        var baseUri = new Uri(app.Urls.Single());
        var factory = app.Services.GetRequiredService<IAgentWebSocketBridgeFactory>();
        var filler = new string('x', padding);
        var results = new List<(bool Stalled, double P50, double P99)>();
        var pooled = new Dictionary<bool, List<double>> { [true] = [], [false] = [] };

        Console.WriteLine($"# Stall cost (healthy user's emit-to-receive latency; {events} events per user per round in batches of {batch}, "
            + $"{padding}-byte events for the second user; {rounds} rounds per variant, alternating; load {Machine.LoadAverage()})");
        Console.WriteLine();
        Console.WriteLine("| round | second user | p50 µs | p99 µs | GC pauses ms | gen1+ GCs |");
        Console.WriteLine("|---:|---|---:|---:|---:|---:|");

        // One warm-up round of each variant, not reported: JIT and connection pools.
        for (var round = -1; round < rounds; round++)
        {
            foreach (var stalled in round % 2 == 0 ? new[] { true, false } : [false, true])
            {
                // Each round starts from a collected heap: a full collection left over from earlier rounds' garbage would
                // land in whichever variant came next.
                GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
                GC.WaitForPendingFinalizers();
                var pausedBefore = GC.GetTotalPauseDuration();
                var gen1Before = GC.CollectionCount(1);
                var (p50, p99, latencies) = await RunRoundAsync(baseUri, factory, round, stalled, events, batch, filler);
                var paused = GC.GetTotalPauseDuration() - pausedBefore;
                var gen1 = GC.CollectionCount(1) - gen1Before;
                if (round >= 0)
                {
                    results.Add((stalled, p50, p99));
                    pooled[stalled].AddRange(latencies);
                    Console.WriteLine(FormattableString.Invariant($"| {round + 1} | {(stalled ? "stalled client" : "not connected")} | {p50:F0} | {p99:F0} | {paused.TotalMilliseconds:F1} | {gen1} |"));
                }
            }
        }

        static double Median(IEnumerable<double> values)
        {
            var sorted = values.Order().ToArray();
            return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
        }

        var withP99 = Median(results.Where(r => r.Stalled).Select(r => r.P99));
        var withoutP99 = Median(results.Where(r => !r.Stalled).Select(r => r.P99));
        var withP50 = Median(results.Where(r => r.Stalled).Select(r => r.P50));
        var withoutP50 = Median(results.Where(r => !r.Stalled).Select(r => r.P50));
        Console.WriteLine();
        Console.WriteLine(FormattableString.Invariant(
            $"Median over rounds: p50 {withP50:F0} µs with the stalled client, {withoutP50:F0} µs without ({withP50 / withoutP50:F3}x); p99 {withP99:F0} µs with, {withoutP99:F0} µs without ({withP99 / withoutP99:F3}x). Load at the end {Machine.LoadAverage()}."));
        var slowRounds = results.GroupBy(r => r.Stalled).ToDictionary(g => g.Key, g => g.Count(r => r.P99 > 1000));
        Console.WriteLine(FormattableString.Invariant($"Rounds whose p99 passed 1 ms: {slowRounds.GetValueOrDefault(true)} of {rounds} with the stalled client, {slowRounds.GetValueOrDefault(false)} of {rounds} without."));
        var all = pooled.ToDictionary(p => p.Key, p => p.Value.Order().ToArray());
        double Pooled(bool stalled, double quantile) => all[stalled][(int)(all[stalled].Length * quantile)];
        Console.WriteLine(FormattableString.Invariant(
            $"All rounds' samples pooled: p99 {Pooled(true, 0.99):F0} µs with, {Pooled(false, 0.99):F0} µs without ({Pooled(true, 0.99) / Pooled(false, 0.99):F3}x); p99.9 {Pooled(true, 0.999):F0} µs with, {Pooled(false, 0.999):F0} µs without ({Pooled(true, 0.999) / Pooled(false, 0.999):F3}x)."));
        return 0;
    }

    private static async Task<(double P50, double P99, List<double> Latencies)> RunRoundAsync(Uri baseUri, IAgentWebSocketBridgeFactory factory, int round, bool stalled, int events, int batch, string filler)
    {
        var secondUser = $"second-{round}-{stalled}";
        var healthyUser = $"healthy-{round}-{stalled}";
        using var stalledSocket = stalled ? await ConnectAsync(baseUri, secondUser) : null;
        using var healthySocket = await ConnectAsync(baseUri, healthyUser);
        var healthy = factory.Create(UserExecutionContext.Create(healthyUser, "t"));
        var second = factory.Create(UserExecutionContext.Create(secondUser, "t"));
        var secondEvent = new AgentEvent("probe", new { filler });

        // First the second user's client stalls for real: its events fill the kernel's socket buffers and then wait in
        // its queue, already serialized. Only then is the healthy user measured. (Without this, the first megabytes
        // the "stalled" client is sent are plain delivery work, not a stall.) Both variants emit the same events.
        for (var n = 0; n < Prefill; n++)
        {
            await second.EmitAsync(secondEvent);
        }

        await Task.Delay(300);

        var latencies = new List<double>(events);
        var buffer = new byte[4096];
        var expectedSeq = 1L;
        for (var start = 0; start < events; start += batch)
        {
            var count = Math.Min(batch, events - start);
            for (var n = 0; n < count; n++)
            {
                await second.EmitAsync(secondEvent);
                await healthy.EmitAsync(new AgentEvent("probe", new Probe(Stopwatch.GetTimestamp())));
            }

            for (var n = 0; n < count; n++)
            {
                var (seq, sent) = await ReceiveProbeAsync(healthySocket, buffer);
                if (seq != expectedSeq++)
                {
                    throw new InvalidOperationException($"the healthy user received seq {seq}, expected {expectedSeq - 1}");
                }

                latencies.Add(Stopwatch.GetElapsedTime(sent).TotalMicroseconds);
            }
        }

        if (stalledSocket is not null && stalledSocket.State != WebSocketState.Open)
        {
            throw new InvalidOperationException("the stalled client was closed mid-round: the measurement would not be of a stall");
        }

        // The stalled socket goes before the next round starts, so that closing it is not measured there.
        if (stalledSocket is not null)
        {
            stalledSocket.Abort();
            await Task.Delay(200);
        }

        latencies.Sort();
        return (latencies[latencies.Count / 2], latencies[(int)(latencies.Count * 0.99)], latencies);
    }

    private static async Task<(long Seq, long Sent)> ReceiveProbeAsync(ClientWebSocket socket, byte[] buffer)
    {
        var total = 0;
        ValueWebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer.AsMemory(total), CancellationToken.None);
            total += result.Count;
        }
        while (!result.EndOfMessage);

        using var frame = JsonDocument.Parse(buffer.AsMemory(0, total));
        return (frame.RootElement.GetProperty("seq").GetInt64(), frame.RootElement.GetProperty("data").GetProperty("sent").GetInt64());
    }

    private static async Task<ClientWebSocket> ConnectAsync(Uri baseUri, string user)
    {
        var cookies = new CookieContainer();
        using (var handler = new HttpClientHandler { CookieContainer = cookies })
        using (var http = new HttpClient(handler) { BaseAddress = baseUri })
        {
            (await http.GetAsync(new Uri("/login?user=" + user, UriKind.Relative))).EnsureSuccessStatusCode();
        }

        var socket = new ClientWebSocket();
        socket.Options.Cookies = cookies;
        await socket.ConnectAsync(new UriBuilder(baseUri) { Scheme = "ws", Path = "/agent-events" }.Uri, CancellationToken.None);
        return socket;
    }

    private static async Task<WebApplication> StartServerAsync(int events)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie();
        builder.Services.AddAgentBridge(o =>
        {
            // A stalled client stays stalled for the whole round instead of being closed with 4001.
            o.MaxQueuedEventsPerConnection = (events * 2) + Prefill;
            o.MaxQueuedBytesPerConnection = 1L << 30;
            o.ReplayWindowSize = (events * 2) + Prefill;

            // Earlier rounds' users' windows expire within seconds, instead of piling up for five minutes.
            o.ReplayWindowAge = TimeSpan.FromSeconds(2);
        });
        var app = builder.Build();
        app.UseAuthentication();
        app.MapGet("/login", async (HttpContext http, string user) =>
        {
            var identity = new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, user)], CookieAuthenticationDefaults.AuthenticationScheme);
            await http.SignInAsync(new ClaimsPrincipal(identity));
            return Results.Ok();
        });
        app.MapAgentBridge("/agent-events");
        await app.StartAsync();
        return app;
    }

    private sealed record Probe(long Sent);
}
