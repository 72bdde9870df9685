using System.Text.Json;
using AgentBridge.Runtime.Tests.Infrastructure;

namespace AgentBridge.Runtime.Tests;

public class ResumeUnderFailureTests
{
    [Fact]
    public async Task Three_tabs_dropping_at_different_moments_each_resume_to_every_event_exactly_once_in_order()
    {
        const int Total = 500;
        await using var server = await BridgeServer.StartAsync();
        var cookies = await server.SignInAsync("alice");
        var bridge = server.Factory.Create(server.Context("alice"));
        var tabs = Enumerable.Range(0, 3).Select(i => new Tab(server, cookies, dropAfter: 100 * (i + 1))).ToArray();
        foreach (var tab in tabs)
        {
            await tab.ConnectAsync();
        }

        var emitter = Task.Run(async () =>
        {
            for (var n = 0; n < Total; n++)
            {
                await bridge.EmitAsync(Frames.Probe("alice", n));
                if (n % 25 == 0)
                {
                    await Task.Delay(2);
                }
            }
        });

        await Task.WhenAll(tabs.Select(t => t.ReadUntilAsync(Total)));
        await emitter;
        foreach (var tab in tabs)
        {
            Assert.Equal(Enumerable.Range(1, Total).Select(i => (long)i), tab.Applied);
            Assert.True(tab.Reconnects >= 1);
            await tab.DisposeAsync();
        }
    }

    /// <summary>A browser tab running the client algorithm of docs/protocol.md, which loses its network once.</summary>
    private sealed class Tab(BridgeServer server, System.Net.CookieContainer cookies, int dropAfter) : IAsyncDisposable
    {
        private EventClient? _client;
        private bool _waitingForResume;
        private bool _dropped;

        public List<long> Applied { get; } = [];

        public int Reconnects { get; private set; }

        public async Task ConnectAsync()
        {
            _client = await EventClient.ConnectAsync(server.WebSocketUri, o => o.Cookies = cookies, startReading: true);
            _waitingForResume = true;
            await _client.SendTextAsync(JsonSerializer.Serialize(new { type = "resume", lastSeq = Applied.Count == 0 ? 0 : Applied[^1] }));
        }

        public async Task ReadUntilAsync(int total)
        {
            while (Applied.Count == 0 || Applied[^1] < total)
            {
                var frame = await _client!.NextAsync();
                var type = frame.Type();
                if (type == "resumed")
                {
                    Assert.True(frame.GetProperty("recovered").GetBoolean());
                    _waitingForResume = false;
                    continue;
                }

                if (_waitingForResume || !frame.TryGetProperty("seq", out var seq) || (Applied.Count > 0 && seq.GetInt64() <= Applied[^1]))
                {
                    continue;
                }

                Applied.Add(seq.GetInt64());
                if (!_dropped && Applied.Count == dropAfter)
                {
                    _dropped = true;
                    _client.Abort();
                    await _client.DisposeAsync();
                    Reconnects++;
                    await ConnectAsync();
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (_client is not null)
            {
                await _client.DisposeAsync();
            }
        }
    }
}
