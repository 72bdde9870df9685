using System.Diagnostics;
using System.Net.WebSockets;
using AgentBridge.Runtime.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AgentBridge.Runtime.Tests;

public class ShutdownAndLivenessTests
{
    [Fact]
    public async Task Shutdown_flushes_queued_events_ends_cancelled_runs_and_closes_with_1001()
    {
        var server = await BridgeServer.StartAsync();
        var client = await server.ConnectAsync("alice");
        var lifetime = server.Services.GetRequiredService<IHostApplicationLifetime>();
        var bridge = server.Factory.Create(server.Context("alice"));
        for (var n = 0; n < 300; n++)
        {
            await bridge.EmitAsync(Frames.Probe("alice", n));
        }

        // A run that only ends when the host cancels it.
        var started = new TaskCompletionSource();
        var run = Task.Run(async () =>
        {
            await using var scope = await bridge.BeginRunAsync("long-runner", lifetime.ApplicationStopping);
            started.SetResult();
            while (true)
            {
                await scope.ThinkingAsync("still working", lifetime.ApplicationStopping);
                await Task.Delay(10, lifetime.ApplicationStopping);
            }
        });
        await started.Task;

        await server.DisposeAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);

        var frames = new List<System.Text.Json.JsonElement>();
        try
        {
            while (true)
            {
                frames.Add(await client.NextAsync());
            }
        }
        catch (InvalidOperationException)
        {
            // The socket closed after the last frame.
        }

        Assert.Equal((WebSocketCloseStatus)AgentBridgeCloseCodes.GoingAway, client.CloseStatus);
        Assert.Equal(Enumerable.Range(1, frames.Count).Select(i => (long)i), frames.Select(f => f.Seq()));
        Assert.Equal(300, frames.Count(f => f.Type() == "probe"));
        var last = frames[^1];
        Assert.Equal("agent_completed", last.Type());
        Assert.Equal("cancelled", last.Data().Str("status"));
        Assert.Single(frames, f => f.Type() == "agent_completed");
        await client.DisposeAsync();
    }

    [Fact]
    public async Task A_peer_that_vanished_without_a_close_frame_is_removed_within_twice_the_keep_alive_interval()
    {
        var interval = TimeSpan.FromMilliseconds(500);
        await using var server = await BridgeServer.StartAsync(o => o.KeepAliveInterval = interval);
        var cookies = await server.SignInAsync("alice");

        // A client that never reads never answers a ping: to the server it is a vanished peer.
        await using var vanished = await EventClient.ConnectAsync(server.WebSocketUri, o =>
        {
            o.Cookies = cookies;
            o.KeepAliveInterval = TimeSpan.Zero;
        }, startReading: false);
        await using var alive = await EventClient.ConnectAsync(server.WebSocketUri, o => o.Cookies = cookies, startReading: true);
        Assert.Equal(2, server.Manager.GetConnectionCount("alice"));

        var clock = Stopwatch.StartNew();
        await ClientMessageTests.WaitUntil(() => server.Manager.GetConnectionCount("alice") == 1);
        clock.Stop();

        // Detection takes one interval to ping and at most one more to give up; allow scheduling slack on top.
        Assert.True(clock.Elapsed < (interval * 2) + TimeSpan.FromSeconds(1), $"took {clock.Elapsed}");
        await server.Factory.Create(server.Context("alice")).EmitAgentStartedAsync("a");
        Assert.Single(await alive.EventsAsync(1));
    }
}
