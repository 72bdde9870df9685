using System.Diagnostics;
using System.Globalization;
using System.Text;
using AgentBridge.Benchmarks.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace AgentBridge.Benchmarks.ScaleOut;

/// <summary>
/// What a node of the two-node benchmark adds to the runtime benchmark's server: each contender's Redis scale-out
/// (<c>--redis host:port --prefix p [--pubsub classic]</c>) and the fault scenario's open-loop emitter (<c>/ctl/fault</c>).
/// </summary>
internal static class ScaleOutWiring
{
    public static Action<string, IServiceCollection> Services(string[] options)
    {
        var redis = Option(options, "--redis") ?? throw new ArgumentException("a node needs --redis");
        var prefix = Option(options, "--prefix") ?? "bench";
        var sharded = Option(options, "--pubsub") != "classic";
        return (contender, services) =>
        {
            switch (contender)
            {
                case Contender.AgentBridge:
                    services.AddAgentBridge().AddStackExchangeRedis(redis, o =>
                    {
                        o.Prefix = prefix;
                        o.UseShardedPubSub = sharded;
                    });
                    break;
                case Contender.SignalR:
                    services.AddSignalR().AddStackExchangeRedis(redis, o =>
                    {
                        o.Configuration.ChannelPrefix = RedisChannel.Literal(prefix);

                        // The same reconnect policy as AgentBridge's, so that the fault scenario compares the backplanes, not the retry timing.
                        o.Configuration.ReconnectRetryPolicy = AgentBridge.StackExchangeRedis.AgentBridgeRedisOptions.DefaultReconnectRetryPolicy;
                    });
                    break;
                default:
                    throw new ArgumentException("the two-node benchmark has no contender " + contender);
            }
        };
    }

    /// <summary>
    /// <c>POST /ctl/fault?users&amp;events&amp;intervalMs&amp;text</c>: every user emits its events one after the other, a pause
    /// between them, counting each one that returned without an exception. Answers, per user, the numbers of those events
    /// (one line each), and on a last line how many threw.
    /// </summary>
    public static void MapFault(WebApplication app, IEmitter emitter) =>
        app.MapPost("/ctl/fault", async (int users, int events, int intervalMs, int text) =>
        {
            emitter.BeginRound(users, text);
            var ok = new List<long>[users];
            var failed = 0;
            await Task.WhenAll(Enumerable.Range(0, users).Select(user => Task.Run(async () =>
            {
                var mine = ok[user] = new List<long>(events);
                for (var n = 1; n <= events; n++)
                {
                    try
                    {
                        await emitter.EmitAsync(user, n, Stopwatch.GetTimestamp());
                        mine.Add(n);
                    }
                    catch (Exception)
                    {
                        Interlocked.Increment(ref failed);
                    }

                    await Task.Delay(intervalMs);
                }
            })));

            var body = new StringBuilder();
            foreach (var mine in ok)
            {
                body.AppendJoin(' ', mine).Append('\n');
            }

            body.Append(failed.ToString(CultureInfo.InvariantCulture));
            return Results.Text(body.ToString());
        });

    private static string? Option(string[] options, string name)
    {
        var at = Array.IndexOf(options, name);
        return at >= 0 && at + 1 < options.Length ? options[at + 1] : null;
    }
}
