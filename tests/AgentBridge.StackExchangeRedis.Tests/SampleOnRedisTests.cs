using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentBridge.Runtime.Tests.Infrastructure;
using AgentBridge.Runtime.Tests.Specification;
using AgentBridge.StackExchangeRedis.Tests.Infrastructure;
using AgentChat;
using Microsoft.AspNetCore.Builder;

namespace AgentBridge.StackExchangeRedis.Tests;

public class SampleOnRedisTests
{
    [SkippableFact]
    public async Task Two_sample_instances_share_a_sign_in_and_a_run_started_on_one_streams_to_a_tab_on_the_other()
    {
        await using var redis = await RedisServer.StartAsync();
        string[] Args() => ["--urls", "http://127.0.0.1:0", "--environment", "Development", "--redis", redis.Configuration];
        await using var first = AgentChatApp.Create(Args());
        await using var second = AgentChatApp.Create(Args());
        await first.StartAsync();
        await second.StartAsync();
        var firstUri = new Uri(first.Urls.Single());
        var secondUri = new Uri(second.Urls.Single());

        // Signed in on the first instance only; cookies are per host, not per port, as in a browser.
        var cookies = new CookieContainer();
        using var handler = new HttpClientHandler { CookieContainer = cookies };
        using var http = new HttpClient(handler) { BaseAddress = firstUri };
        (await http.GetAsync(new Uri("/dev/login?user=alice", UriKind.Relative))).EnsureSuccessStatusCode();

        // The second instance accepts that sign-in: its Data Protection keys come from Redis.
        await using var tab = await EventClient.ConnectAsync(new UriBuilder(secondUri) { Scheme = "ws", Path = "/agent-events" }.Uri, o => o.Cookies = cookies, startReading: true);

        using var started = await http.PostAsJsonAsync(new Uri("/api/runs", UriKind.Relative), new { message = "weather?", steps = 2, delayMs = 5 });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var runId = (await started.Content.ReadFromJsonAsync<JsonElement>()).Str("runId");

        var events = await tab.DrainUntilAsync(AgentEventTypes.AgentCompleted);

        Assert.Equal(AgentEventTypes.AgentStarted, events[0].Type());
        Assert.All(events, e => Assert.Equal(runId, e.Str("runId")));
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Seq()));
        Assert.Equal("succeeded", events[^1].Data().Str("status"));

        // The one key ring both instances used is the one in Redis.
        Assert.Equal(":1", await redis.CommandAsync("LLEN", "agentchat:data-protection-keys"));
        await first.StopAsync();
        await second.StopAsync();
    }
}
