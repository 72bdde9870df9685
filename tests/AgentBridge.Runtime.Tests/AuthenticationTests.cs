using System.Net.WebSockets;
using System.Security.Claims;
using AgentBridge.Runtime.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AgentBridge.Runtime.Tests;

public class AuthenticationTests
{
    [Fact]
    public async Task An_unauthenticated_upgrade_gets_401_before_the_upgrade()
    {
        await using var server = await BridgeServer.StartAsync();
        Assert.Equal(401, await EventClient.GetUpgradeStatusAsync(server.WebSocketUri, _ => { }));
        Assert.Equal(0, server.Manager.GetConnectionCount("alice"));
    }

    [Fact]
    public async Task An_unauthenticated_upgrade_naming_a_user_in_the_query_string_still_gets_401()
    {
        await using var server = await BridgeServer.StartAsync();
        var uri = new UriBuilder(server.WebSocketUri) { Query = "user=alice&userId=alice&access_token=alice" }.Uri;
        Assert.Equal(401, await EventClient.GetUpgradeStatusAsync(uri, _ => { }));
    }

    [Fact]
    public async Task A_user_id_in_the_query_string_is_ignored()
    {
        await using var server = await BridgeServer.StartAsync();
        await using var mallory = await server.ConnectAsync("mallory", query: "user=alice&userId=alice");

        Assert.Equal(1, server.Manager.GetConnectionCount("mallory"));
        Assert.Equal(0, server.Manager.GetConnectionCount("alice"));
        await server.Factory.Create(server.Context("alice")).EmitAgentStartedAsync("secret");
        await server.Factory.Create(server.Context("mallory")).EmitAgentStartedAsync("own");

        var frames = await mallory.DrainWithPingAsync();
        var only = Assert.Single(frames);
        Assert.Equal("own", only.Data().Str("agentName"));
    }

    [Fact]
    public async Task A_plain_http_request_to_the_socket_endpoint_gets_401_signed_out_and_400_signed_in()
    {
        await using var server = await BridgeServer.StartAsync();
        using (var anonymous = new HttpClient { BaseAddress = server.HttpBase })
        using (var response = await anonymous.GetAsync(new Uri("/agent-events", UriKind.Relative)))
        {
            Assert.Equal(401, (int)response.StatusCode);
        }

        using var handler = new HttpClientHandler { CookieContainer = await server.SignInAsync("alice") };
        using var signedIn = new HttpClient(handler) { BaseAddress = server.HttpBase };
        using var plain = await signedIn.GetAsync(new Uri("/agent-events", UriKind.Relative));
        Assert.Equal(400, (int)plain.StatusCode);
    }

    [Fact]
    public async Task A_principal_without_a_user_id_gets_403()
    {
        await using var server = await BridgeServer.StartAsync(services: s =>
            s.AddSingleton<IAgentBridgeUserIdProvider>(new NoIdProvider()));
        var cookies = await server.SignInAsync("alice");
        Assert.Equal(403, await EventClient.GetUpgradeStatusAsync(server.WebSocketUri, o => o.Cookies = cookies));
    }

    [Fact]
    public async Task A_replaced_user_id_provider_decides_the_user()
    {
        await using var server = await BridgeServer.StartAsync(services: s =>
            s.AddSingleton<IAgentBridgeUserIdProvider>(new PrefixProvider()));
        await using var client = await server.ConnectAsync("alice");
        Assert.Equal(1, server.Manager.GetConnectionCount("tenant-1:alice"));
        Assert.Equal(0, server.Manager.GetConnectionCount("alice"));
    }

    [Fact]
    public async Task An_origin_outside_AllowedOrigins_gets_403_and_an_allowed_one_connects()
    {
        await using var server = await BridgeServer.StartAsync(o => o.AllowedOrigins.Add("https://app.example.com"));
        var cookies = await server.SignInAsync("alice");
        Assert.Equal(403, await EventClient.GetUpgradeStatusAsync(server.WebSocketUri, o =>
        {
            o.Cookies = cookies;
            o.SetRequestHeader("Origin", "https://evil.example.com");
        }));
        Assert.Equal(403, await EventClient.GetUpgradeStatusAsync(server.WebSocketUri, o => o.Cookies = cookies));
        Assert.Equal(101, await EventClient.GetUpgradeStatusAsync(server.WebSocketUri, o =>
        {
            o.Cookies = cookies;
            o.SetRequestHeader("Origin", "https://app.example.com");
        }));
    }

    private sealed class NoIdProvider : IAgentBridgeUserIdProvider
    {
        public string? GetUserId(ClaimsPrincipal user) => null;
    }

    private sealed class PrefixProvider : IAgentBridgeUserIdProvider
    {
        public string? GetUserId(ClaimsPrincipal user) => "tenant-1:" + user.FindFirstValue(ClaimTypes.NameIdentifier);
    }
}
