using System.Net;
using System.Net.WebSockets;
using System.Text;
using AgentBridge.Runtime.Tests.Infrastructure;
using Xunit.Abstractions;

namespace AgentBridge.Runtime.Tests;

public class FuzzTests(ITestOutputHelper output)
{
    private static readonly string[] Fragments =
    [
        """{"type":"ping"}""", """{"type":"resume","lastSeq":0}""", """{"type":"resume","lastSeq":-5}""",
        """{"type":"resume","lastSeq":99999999999999999999999}""", """{"type":"resume","lastSeq":3,"epoch":7}""",
        """{"type":"subscribe","userId":"victim"}""", """{"type":null}""", "[]", "null", "{", "\"", "{\"type\":\"ping\"",
        """{"type":"resume","lastSeq":1,"userId":"victim"}""", new string('[', 64) + new string(']', 64),
    ];

    [Fact]
    public async Task Thousands_of_random_frames_leave_the_server_healthy_and_well_behaved_clients_lose_nothing()
    {
        const int Fuzzers = 4, FramesPerFuzzer = 750, Events = 400;
        var seed = Environment.TickCount;
        output.WriteLine($"seed {seed}");
        await using var server = await BridgeServer.StartAsync(o => o.MaxClientMessagesPerSecond = 200);
        var victims = new[] { "victim-0", "victim-1", "victim-2" };
        var clients = new List<EventClient>();
        foreach (var victim in victims)
        {
            clients.Add(await server.ConnectAsync(victim));
        }

        var fuzzers = Enumerable.Range(0, Fuzzers).Select(f => Task.Run(() => FuzzAsync(server, $"fuzzer-{f}", new Random(seed + f), FramesPerFuzzer))).ToArray();
        var emitter = Task.Run(async () =>
        {
            var bridges = victims.Select(v => server.Factory.Create(server.Context(v))).ToArray();
            for (var n = 0; n < Events; n++)
            {
                foreach (var bridge in bridges)
                {
                    await bridge.EmitAsync(Frames.Probe(bridge.UserContext!.UserId, n));
                }

                if (n % 20 == 0)
                {
                    await Task.Delay(5);
                }
            }
        });

        var sent = await Task.WhenAll(fuzzers);
        await emitter;
        output.WriteLine($"fuzz frames sent: {sent.Sum(s => s.Frames)}, connections used: {sent.Sum(s => s.Connections)}");
        Assert.True(sent.Sum(s => s.Frames) >= Fuzzers * FramesPerFuzzer);

        for (var i = 0; i < victims.Length; i++)
        {
            List<System.Text.Json.JsonElement> events;
            try
            {
                events = await clients[i].EventsAsync(Events);
            }
            catch (TimeoutException)
            {
                output.WriteLine($"{victims[i]}: {clients[i].FramesReceived} frames, {server.Manager.GetConnectionCount(victims[i])} connections, socket {clients[i].Socket.State}");
                foreach (var entry in server.Logs.Entries.Where(e => e.Category.StartsWith("AgentBridge", StringComparison.Ordinal) && !e.Message.Contains("fuzzer", StringComparison.Ordinal)).TakeLast(30))
                {
                    output.WriteLine($"{entry.Level} {entry.EventId.Id} {entry.Message} {entry.Exception?.GetType().Name} {entry.Exception?.Message}");
                }

                throw;
            }

            Assert.Equal(Enumerable.Range(1, Events).Select(n => (long)n), events.Select(e => e.Seq()));
            Assert.All(events, e => Assert.Equal(victims[i], e.Data().Str("owner")));
            Assert.Empty(await clients[i].DrainWithPingAsync());
            await clients[i].DisposeAsync();
        }

        // The server is healthy: the fuzzers' connections are gone and a new client works.
        for (var f = 0; f < Fuzzers; f++)
        {
            var fuzzer = $"fuzzer-{f}";
            await ClientMessageTests.WaitUntil(() => server.Manager.GetConnectionCount(fuzzer) == 0);
        }

        await using var fresh = await server.ConnectAsync("fresh");
        await server.Factory.Create(server.Context("fresh")).EmitAgentStartedAsync("a");
        Assert.Single(await fresh.EventsAsync(1));
    }

    private static async Task<(int Frames, int Connections)> FuzzAsync(BridgeServer server, string user, Random random, int frames)
    {
        var cookies = await server.SignInAsync(user);
        var sent = 0;
        var connections = 0;
        while (sent < frames)
        {
            connections++;
            using var socket = new ClientWebSocket();
            socket.Options.Cookies = cookies;
            await socket.ConnectAsync(server.WebSocketUri, CancellationToken.None);
            var drain = DrainAsync(socket);
            try
            {
                while (sent < frames && socket.State == WebSocketState.Open)
                {
                    await SendRandomFrameAsync(socket, random);
                    sent++;
                    if (random.Next(8) == 0)
                    {
                        // Give the server time to answer, so that closes happen mid-stream too.
                        await Task.Delay(2);
                    }
                }
            }
            catch (Exception ex) when (ex is WebSocketException or InvalidOperationException or IOException or OperationCanceledException)
            {
                // The server closed this connection for what it was sent: open another.
            }

            socket.Abort();
            await drain;
        }

        return (sent, connections);
    }

    private static async Task SendRandomFrameAsync(ClientWebSocket socket, Random random)
    {
        switch (random.Next(10))
        {
            case 0: // binary
                await socket.SendAsync(RandomBytes(random, random.Next(0, 64)), WebSocketMessageType.Binary, true, CancellationToken.None);
                break;
            case 1: // random bytes as text, often not UTF-8
                await socket.SendAsync(RandomBytes(random, random.Next(1, 128)), WebSocketMessageType.Text, true, CancellationToken.None);
                break;
            case 2: // oversized
                await socket.SendAsync(Encoding.UTF8.GetBytes(new string('a', random.Next(4097, 9000))), WebSocketMessageType.Text, true, CancellationToken.None);
                break;
            case 3: // a message in fragments
                var whole = Encoding.UTF8.GetBytes(Fragments[random.Next(Fragments.Length)]);
                var cut = random.Next(0, whole.Length);
                await socket.SendAsync(whole.AsMemory(0, cut), WebSocketMessageType.Text, false, CancellationToken.None);
                await socket.SendAsync(whole.AsMemory(cut), WebSocketMessageType.Text, true, CancellationToken.None);
                break;
            default: // JSON-ish text of the protocol and around it
                await socket.SendAsync(Encoding.UTF8.GetBytes(Fragments[random.Next(Fragments.Length)]), WebSocketMessageType.Text, true, CancellationToken.None);
                break;
        }
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static async Task DrainAsync(ClientWebSocket socket)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
        }
    }
}
