using System.Net;
using System.Net.WebSockets;
using AgentBridge.Runtime.Tests.Infrastructure;
using AgentBridge.Transport;
using AgentChat;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace AgentBridge.Runtime.Tests;

public class OriginAndConnectionLimitTests
{
    [Fact]
    public async Task By_default_a_cross_site_upgrade_with_a_valid_cookie_gets_403()
    {
        await using var server = await BridgeServer.StartAsync();
        var cookies = await server.SignInAsync("alice");

        foreach (var origin in new[] { "http://evil.example", "null", $"http://127.0.0.1:{server.HttpBase.Port + 1}", "http://localhost" })
        {
            Assert.Equal(403, await UpgradeStatusAsync(server, cookies, origin));
        }

        Assert.Equal(0, server.Manager.GetConnectionCount("alice"));
    }

    [Fact]
    public async Task By_default_the_pages_own_origin_and_clients_without_an_origin_connect()
    {
        await using var server = await BridgeServer.StartAsync();
        var cookies = await server.SignInAsync("alice");

        Assert.Equal(101, await UpgradeStatusAsync(server, cookies, $"http://127.0.0.1:{server.HttpBase.Port}"));
        Assert.Equal(101, await UpgradeStatusAsync(server, cookies, origin: null));
    }

    [Fact]
    public async Task AllowAnyOrigin_accepts_a_cross_site_upgrade()
    {
        await using var server = await BridgeServer.StartAsync(o => o.AllowAnyOrigin = true);
        var cookies = await server.SignInAsync("alice");
        Assert.Equal(101, await UpgradeStatusAsync(server, cookies, "http://evil.example"));
    }

    [Fact]
    public async Task With_AllowedOrigins_only_those_origins_connect_and_a_missing_origin_is_refused()
    {
        await using var server = await BridgeServer.StartAsync(o => o.AllowedOrigins.Add("https://app.example.com/"));
        var cookies = await server.SignInAsync("alice");

        Assert.Equal(101, await UpgradeStatusAsync(server, cookies, "https://app.example.com"));
        Assert.Equal(403, await UpgradeStatusAsync(server, cookies, $"http://127.0.0.1:{server.HttpBase.Port}"));
        Assert.Equal(403, await UpgradeStatusAsync(server, cookies, origin: null));
    }

    [Fact]
    public async Task The_sample_refuses_an_upgrade_from_another_site()
    {
        await using var app = AgentChatApp.Create(["--urls", "http://127.0.0.1:0", "--environment", "Development"]);
        await app.StartAsync();
        var baseUri = new Uri(app.Urls.Single());
        var cookies = new CookieContainer();
        using (var handler = new HttpClientHandler { CookieContainer = cookies })
        using (var http = new HttpClient(handler) { BaseAddress = baseUri })
        {
            (await http.GetAsync(new Uri("/dev/login?user=alice", UriKind.Relative))).EnsureSuccessStatusCode();
        }

        var socketUri = new UriBuilder(baseUri) { Scheme = "ws", Path = "/agent-events" }.Uri;
        Assert.Equal(403, await EventClient.GetUpgradeStatusAsync(socketUri, o =>
        {
            o.Cookies = cookies;
            o.SetRequestHeader("Origin", "http://evil.example");
        }));
        Assert.Equal(101, await EventClient.GetUpgradeStatusAsync(socketUri, o =>
        {
            o.Cookies = cookies;
            o.SetRequestHeader("Origin", baseUri.GetLeftPart(UriPartial.Authority));
        }));
        await app.StopAsync();
    }

    [Theory]
    [InlineData("https://app.example.com", "app.example.com", true)]       // TLS ended by a proxy: Host has no port
    [InlineData("https://app.example.com", "app.example.com:443", true)]
    [InlineData("http://APP.example.com:8080", "app.example.com:8080", true)]
    [InlineData("http://[::1]:5080", "[::1]:5080", true)]
    [InlineData("https://app.example.com", "app.example.com:8443", false)]
    [InlineData("https://app.example.com.evil.example", "app.example.com", false)]
    [InlineData("https://evil.example", "app.example.com", false)]
    [InlineData("null", "app.example.com", false)]
    [InlineData("file:///index.html", "app.example.com", false)]
    [InlineData("https://app.example.com/path", "app.example.com", false)]
    [InlineData("https://user@app.example.com", "app.example.com", false)]
    public void Same_origin_compares_host_and_port(string origin, string host, bool same) =>
        Assert.Equal(same, OriginPolicy.IsSameOrigin(origin, new HostString(host)));

    [Fact]
    public async Task A_connection_beyond_the_per_user_cap_is_closed_with_4002_and_the_others_keep_receiving()
    {
        await using var server = await BridgeServer.StartAsync(o => o.MaxConnectionsPerUser = 3);
        var tabs = await server.ConnectManyAsync("alice", 3);
        await using var bob = await server.ConnectAsync("bob");
        try
        {
            await using var fourth = await server.ConnectAsync("alice");
            Assert.Equal((WebSocketCloseStatus)AgentBridgeCloseCodes.TooManyConnections, await fourth.WaitClosedAsync());
            Assert.Equal(3, server.Manager.GetConnectionCount("alice"));

            await server.Factory.Create(server.Context("alice")).EmitAgentStartedAsync("a");
            await server.Factory.Create(server.Context("bob")).EmitAgentStartedAsync("b");
            foreach (var tab in tabs)
            {
                Assert.Single(await tab.EventsAsync(1));
            }

            Assert.Single(await bob.EventsAsync(1));

            // A place that frees up can be taken again.
            await tabs[0].DisposeAsync();
            await ClientMessageTests.WaitUntil(() => server.Manager.GetConnectionCount("alice") == 2);
            await using var again = await server.ConnectAsync("alice");
            await server.Factory.Create(server.Context("alice")).EmitAgentStartedAsync("a");
            Assert.Single(await again.EventsAsync(1));
        }
        finally
        {
            foreach (var tab in tabs)
            {
                await tab.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_place_frees_up_when_its_connection_starts_closing_not_when_its_close_handshake_ends()
    {
        // A client that stopped reading is closed for overflowing its queue, but its close handshake cannot finish
        // (its buffers are full) until CloseTimeout. Its user's next connection must not wait for that.
        await using var server = await BridgeServer.StartAsync(o =>
        {
            o.MaxConnectionsPerUser = 1;
            o.MaxQueuedEventsPerConnection = 8;
            o.CloseTimeout = TimeSpan.FromSeconds(60);
        });
        await using var stalled = await server.ConnectAsync("alice", startReading: false);
        var bridge = server.Factory.Create(server.Context("alice"));
        var padding = new string('x', 64 * 1024);
        for (var n = 0; n < 2_000 && server.Manager.GetConnectionCount("alice") > 0; n++)
        {
            await bridge.EmitAsync(new AgentEvent("probe", new { n, padding }));
        }

        Assert.Equal(0, server.Manager.GetConnectionCount("alice"));
        await using var next = await server.ConnectAsync("alice");
        await bridge.EmitAgentStartedAsync("a");
        Assert.Equal("agent_started", Assert.Single(await next.EventsAsync(1)).Type());
    }

    [Fact]
    public async Task Upgrades_racing_for_the_last_places_take_exactly_the_cap()
    {
        await using var server = await BridgeServer.StartAsync(o => o.MaxConnectionsPerUser = 5);
        var cookies = await server.SignInAsync("alice");
        var clients = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ =>
            EventClient.ConnectAsync(server.WebSocketUri, o => o.Cookies = cookies, startReading: true)));
        try
        {
            await ClientMessageTests.WaitUntil(() => clients.Count(c => c.CloseStatus is not null) == 7);
            Assert.All(clients.Where(c => c.CloseStatus is not null), c => Assert.Equal((WebSocketCloseStatus)AgentBridgeCloseCodes.TooManyConnections, c.CloseStatus));
            Assert.Equal(5, server.Manager.GetConnectionCount("alice"));

            await server.Factory.Create(server.Context("alice")).EmitAgentStartedAsync("a");
            foreach (var open in clients.Where(c => c.CloseStatus is null))
            {
                Assert.Single(await open.EventsAsync(1));
            }
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    private static Task<int> UpgradeStatusAsync(BridgeServer server, CookieContainer cookies, string? origin) =>
        EventClient.GetUpgradeStatusAsync(server.WebSocketUri, o =>
        {
            o.Cookies = cookies;
            if (origin is not null)
            {
                o.SetRequestHeader("Origin", origin);
            }
        });
}
