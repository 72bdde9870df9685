using System.Text.Json;
using AgentBridge.Runtime.Tests.Infrastructure;

namespace AgentBridge.Runtime.Tests.Specification;

/// <summary>What the specification and the scale-out tests do with their clients.</summary>
public static class Clients
{
    /// <summary>
    /// <paramref name="emitter"/> emits <paramref name="total"/> events of a user whose window holds
    /// <paramref name="window"/>; a client on <paramref name="resumer"/> resumes from before the window (not recovered,
    /// and told the oldest seq kept), then from just before its oldest event (the whole window comes back).
    /// </summary>
    public static async Task ResumeBeyondTheWindowAsync(BridgeServer emitter, BridgeServer resumer, int window, int total)
    {
        var bridge = emitter.Factory.Create(emitter.Context("alice"));
        for (var n = 0; n < total; n++)
        {
            await bridge.EmitAsync(Frames.Probe("alice", n));
        }

        var oldest = total - window + 1;
        await using var client = await resumer.ConnectAsync("alice");
        await client.SendTextAsync(System.Text.Json.JsonSerializer.Serialize(new { type = "resume", lastSeq = oldest - 3 }));
        var resumed = await client.NextOfTypeAsync("resumed");
        Assert.False(resumed.GetProperty("recovered").GetBoolean());
        Assert.Equal(oldest, resumed.GetProperty("oldestSeq").GetInt64());
        Assert.Equal(total, resumed.GetProperty("lastSeq").GetInt64());
        Assert.Empty(await client.DrainWithPingAsync());

        await client.SendTextAsync(System.Text.Json.JsonSerializer.Serialize(new { type = "resume", lastSeq = oldest - 1 }));
        Assert.True((await client.NextOfTypeAsync("resumed")).GetProperty("recovered").GetBoolean());
        Assert.Equal(Enumerable.Range(oldest, window).Select(i => (long)i), (await client.EventsAsync(window)).Select(e => e.Seq()));
    }

    /// <summary>
    /// A run on <paramref name="emitter"/> emits <paramref name="total"/> events; a client on <paramref name="first"/>
    /// takes some, loses its network, and resumes on <paramref name="second"/>. Returns the seqs it applied.
    /// </summary>
    public static async Task<List<long>> DropAndResumeAsync(BridgeServer emitter, BridgeServer first, BridgeServer second, int total)
    {
        var bridge = emitter.Factory.Create(emitter.Context("alice"));
        var dropped = await first.ConnectAsync("alice");
        var run = Task.Run(async () =>
        {
            for (var n = 0; n < total; n++)
            {
                await bridge.EmitAsync(Frames.Probe("alice", n));
                if (n % 50 == 0)
                {
                    await Task.Delay(5);
                }
            }
        });

        var applied = (await dropped.EventsAsync(80)).Select(e => e.Seq()).ToList();
        dropped.Abort();
        await dropped.DisposeAsync();

        await using var resumed = await second.ConnectAsync("alice");
        await resumed.SendTextAsync(System.Text.Json.JsonSerializer.Serialize(new { type = "resume", lastSeq = applied[^1] }));
        await run;
        await ApplyUntilAsync(resumed, applied, total);
        Assert.Empty(await resumed.DrainWithPingAsync());
        return applied;
    }

    /// <summary>The client algorithm of docs/protocol.md: ignore events until <c>resumed</c>, then apply each seq above the last applied.</summary>
    public static async Task ApplyUntilAsync(EventClient client, List<long> applied, long lastSeq)
    {
        var resumed = false;
        while (applied[^1] < lastSeq)
        {
            var frame = await client.NextAsync();
            if (frame.Type() == "resumed")
            {
                Assert.True(frame.GetProperty("recovered").GetBoolean());
                resumed = true;
                continue;
            }

            if (resumed && frame.TryGetProperty("seq", out var seq) && seq.GetInt64() > applied[^1])
            {
                applied.Add(seq.GetInt64());
            }
        }
    }

    /// <summary>Connects and learns the server's id of the connection from its "opened" log entry.</summary>
    public static async Task<(EventClient Client, string ConnectionId)> ConnectWithIdAsync(BridgeServer server, string userId)
    {
        var before = server.Logs.Entries.Where(IsOpened).Select(e => e.Message).ToHashSet();
        var client = await server.ConnectAsync(userId);
        await WaitUntilAsync(() => server.Logs.Entries.Any(e => IsOpened(e) && !before.Contains(e.Message)));
        var message = server.Logs.Entries.First(e => IsOpened(e) && !before.Contains(e.Message)).Message;
        return (client, message.Split(' ')[1]);

        static bool IsOpened(LogEntry e) => e.EventId.Id == 1 && e.Category.StartsWith("AgentBridge", StringComparison.Ordinal);
    }

    /// <summary>The events up to and including the first of type <paramref name="type"/>.</summary>
    public static async Task<List<JsonElement>> DrainUntilAsync(this EventClient client, string type)
    {
        var events = new List<JsonElement>();
        while (events.Count == 0 || events[^1].Type() != type)
        {
            events.AddRange(await client.EventsAsync(1));
        }

        return events;
    }

    public static async Task DisposeAllAsync(IEnumerable<EventClient> clients)
    {
        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }
    }

    public static async Task WaitUntilAsync(Func<bool> condition, int seconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"The condition did not become true within {seconds} seconds.");
            await Task.Delay(20);
        }
    }
}
