using System.Net.WebSockets;
using System.Text;
using AgentBridge.Runtime.Tests.Infrastructure;

namespace AgentBridge.Runtime.Tests;

public class ClientMessageTests
{
    [Fact]
    public async Task A_ping_is_answered_with_a_pong()
    {
        await using var server = await BridgeServer.StartAsync();
        await using var client = await server.ConnectAsync("alice");
        await client.SendTextAsync("""{"type":"ping"}""");
        Assert.Equal("pong", (await client.NextAsync()).Type());
    }

    [Theory]
    [InlineData("{not json", "invalid_json")]
    [InlineData("""{"type":"subscribe","userId":"bob"}""", "unknown_type")]
    [InlineData("""[1,2,3]""", "unknown_type")]
    [InlineData("""{"type":"resume","lastSeq":-1}""", "invalid_resume")]
    [InlineData("""{"type":"resume","lastSeq":"12"}""", "invalid_resume")]
    [InlineData("""{"type":"resume","lastSeq":1e40}""", "invalid_resume")]
    [InlineData("""{"type":"resume"}""", "invalid_resume")]
    public async Task A_refused_message_gets_an_error_and_the_connection_and_others_carry_on(string message, string code)
    {
        await using var server = await BridgeServer.StartAsync();
        await using var client = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");

        await client.SendTextAsync(message);
        var error = await client.NextAsync();
        Assert.Equal("error", error.Type());
        Assert.Equal(code, error.Str("code"));
        Assert.False(string.IsNullOrEmpty(error.Str("message")));

        await server.Factory.Create(server.Context("alice")).EmitAgentStartedAsync("a");
        await server.Factory.Create(server.Context("bob")).EmitAgentStartedAsync("b");
        Assert.Single(await client.EventsAsync(1));
        Assert.Single(await bob.EventsAsync(1));
    }

    [Fact]
    public async Task A_binary_frame_closes_the_connection_with_1003_and_another_user_is_unharmed()
    {
        await using var server = await BridgeServer.StartAsync();
        await using var client = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");

        await client.SendAsync(new byte[] { 1, 2, 3 }, WebSocketMessageType.Binary);
        Assert.Equal((WebSocketCloseStatus)AgentBridgeCloseCodes.UnsupportedData, await client.WaitClosedAsync());

        await server.Factory.Create(server.Context("bob")).EmitAgentStartedAsync("b");
        Assert.Single(await bob.EventsAsync(1));
    }

    [Fact]
    public async Task A_message_over_the_size_limit_closes_the_connection_with_1009()
    {
        await using var server = await BridgeServer.StartAsync(o => o.MaxClientMessageSize = 256);
        await using var client = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");

        await client.SendTextAsync("{\"type\":\"ping\",\"pad\":\"" + new string('x', 300) + "\"}");
        Assert.Equal((WebSocketCloseStatus)AgentBridgeCloseCodes.MessageTooBig, await client.WaitClosedAsync());
        await server.Factory.Create(server.Context("bob")).EmitAgentStartedAsync("b");
        Assert.Single(await bob.EventsAsync(1));
    }

    [Fact]
    public async Task Invalid_UTF8_ends_the_connection_and_another_user_is_unharmed()
    {
        await using var server = await BridgeServer.StartAsync();
        await using var client = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");
        await client.SendAsync(new byte[] { (byte)'{', 0xC3, 0x28, (byte)'}' }, WebSocketMessageType.Text);

        // The WebSocket implementation itself refuses the text: it sends close 1007, then aborts the TCP
        // connection, so a client reads either that close frame or, when the reset overtakes it, an abrupt end.
        var status = await client.WaitClosedAsync();
        Assert.True(status == WebSocketCloseStatus.InvalidPayloadData || (status is null && client.Fault is WebSocketException), $"closed with {status}, fault {client.Fault?.Message}");
        await WaitUntil(() => server.Manager.GetConnectionCount("alice") == 0);
        await server.Factory.Create(server.Context("bob")).EmitAgentStartedAsync("b");
        Assert.Single(await bob.EventsAsync(1));
    }

    [Fact]
    public async Task A_flood_of_client_messages_closes_the_connection_with_1008()
    {
        await using var server = await BridgeServer.StartAsync(o => o.MaxClientMessagesPerSecond = 10);
        await using var client = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");
        var ping = Encoding.UTF8.GetBytes("""{"type":"ping"}""");
        for (var i = 0; i < 50 && client.Socket.State == WebSocketState.Open; i++)
        {
            try
            {
                await client.SendAsync(ping, WebSocketMessageType.Text);
            }
            catch (WebSocketException)
            {
                break;
            }
        }

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await client.WaitClosedAsync());
        await server.Factory.Create(server.Context("bob")).EmitAgentStartedAsync("b");
        Assert.Single(await bob.EventsAsync(1));
    }

    [Fact]
    public async Task A_client_close_ends_the_connection_normally_and_removes_it()
    {
        await using var server = await BridgeServer.StartAsync();
        var client = await server.ConnectAsync("alice");
        Assert.Equal(1, server.Manager.GetConnectionCount("alice"));
        await client.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, await client.WaitClosedAsync());
        await client.DisposeAsync();
        await WaitUntil(() => server.Manager.GetConnectionCount("alice") == 0);
    }

    internal static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not become true within 10 seconds.");
            await Task.Delay(20);
        }
    }
}
