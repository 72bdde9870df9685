using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentBridge.Runtime.Tests.Infrastructure;
using AgentChat;
using Microsoft.AspNetCore.Builder;

namespace AgentBridge.Runtime.Tests;

public class SampleTests
{
    [Fact]
    public async Task The_sample_signs_in_starts_a_run_and_streams_its_events_over_the_socket()
    {
        await using var app = AgentChatApp.Create(["--urls", "http://127.0.0.1:0", "--environment", "Development"]);
        await app.StartAsync();
        var baseUri = new Uri(app.Urls.Single());
        var cookies = new CookieContainer();
        using var handler = new HttpClientHandler { CookieContainer = cookies };
        using var http = new HttpClient(handler) { BaseAddress = baseUri };

        using (var page = await http.GetAsync(new Uri("/", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains("AgentChat", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var anonymous = await http.PostAsJsonAsync(new Uri("/api/runs", UriKind.Relative), new { message = "hi" }))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        (await http.GetAsync(new Uri("/dev/login?user=alice", UriKind.Relative))).EnsureSuccessStatusCode();
        var socketUri = new UriBuilder(baseUri) { Scheme = "ws", Path = "/agent-events" }.Uri;
        await using var socket = await EventClient.ConnectAsync(socketUri, o => o.Cookies = cookies, startReading: true);

        using var started = await http.PostAsJsonAsync(new Uri("/api/runs", UriKind.Relative), new { message = "weather?", steps = 3, delayMs = 5 });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var body = await started.Content.ReadFromJsonAsync<JsonElement>();
        var runId = body.Str("runId");
        Assert.False(string.IsNullOrEmpty(body.Str("threadId")));

        // The answer streams as agent_message deltas between the last tool call and agent_completed.
        var all = new List<JsonElement>();
        do
        {
            all.AddRange(await socket.EventsAsync(1));
        }
        while (all[^1].Type() != "agent_completed");
        var events = all.Where(e => e.Type() != "agent_message").ToList();
        Assert.Equal(
            ["agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_thinking", "tool_executing", "tool_completed", "agent_thinking", "tool_executing", "tool_completed", "agent_completed"],
            events.Select(e => e.Type()));
        Assert.All(all, e => Assert.Equal(runId, e.Str("runId")));
        Assert.Equal("succeeded", events[^1].Data().Str("status"));
        var answer = all.Where(e => e.Type() == "agent_message").Select(e => e.Data()).ToList();
        Assert.NotEmpty(answer);
        Assert.Single(answer.Select(m => m.Str("messageId")).Distinct());
        Assert.Equal(events[^1].Data().Str("result"), string.Concat(answer.Select(m => m.Str("delta"))));

        using var invalid = await http.PostAsJsonAsync(new Uri("/api/runs", UriKind.Relative), new { message = "x", steps = 0 });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        await app.StopAsync();
    }

    [Fact]
    public async Task The_development_sign_in_does_not_exist_outside_Development()
    {
        await using var app = AgentChatApp.Create(["--urls", "http://127.0.0.1:0", "--environment", "Production"]);
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };
        using var response = await http.GetAsync(new Uri("/dev/login?user=alice", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        await app.StopAsync();
    }
}
