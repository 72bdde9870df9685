using System.Net;
using System.Net.WebSockets;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentBridge.Runtime.Tests.Infrastructure;

/// <summary>
/// A real server for the tests: Kestrel on 127.0.0.1 port 0, cookie authentication, a sign-in endpoint and
/// the AgentBridge socket at <c>/agent-events</c>.
/// </summary>
public sealed class BridgeServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private BridgeServer(WebApplication app, LogSink logs)
    {
        _app = app;
        Logs = logs;
        var address = new Uri(app.Urls.Single());
        HttpBase = address;
        WebSocketUri = new UriBuilder(address) { Scheme = "ws", Path = "/agent-events" }.Uri;
    }

    public Uri HttpBase { get; }

    public Uri WebSocketUri { get; }

    public LogSink Logs { get; }

    public IServiceProvider Services => _app.Services;

    public WebSocketConnectionManager Manager => Services.GetRequiredService<WebSocketConnectionManager>();

    public IAgentWebSocketBridgeFactory Factory => Services.GetRequiredService<IAgentWebSocketBridgeFactory>();

    /// <summary>Starts the server; <paramref name="map"/> maps more endpoints (an AG-UI endpoint, say) beside the socket.</summary>
    public static async Task<BridgeServer> StartAsync(
        Action<AgentBridgeOptions>? configure = null,
        Action<IServiceCollection>? services = null,
        Action<WebApplication>? map = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        var logs = new LogSink();
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Debug);
        builder.Services
            .AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o => o.Events.OnRedirectToLogin = c =>
            {
                c.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return Task.CompletedTask;
            });
        builder.Services.AddAuthorization();
        builder.Services.AddAgentBridge(configure);
        services?.Invoke(builder.Services);
        var app = builder.Build();
        app.UseAuthentication();
        app.MapGet("/test/login", async (HttpContext http, string user) =>
        {
            var identity = new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, user)], CookieAuthenticationDefaults.AuthenticationScheme);
            await http.SignInAsync(new ClaimsPrincipal(identity));
            return Results.Ok();
        });
        app.MapAgentBridge("/agent-events");
        map?.Invoke(app);
        await app.StartAsync();
        return new BridgeServer(app, logs);
    }

    /// <summary>Signs in through the server's cookie authentication and returns the cookies.</summary>
    public async Task<CookieContainer> SignInAsync(string userId)
    {
        var cookies = new CookieContainer();
        using var handler = new HttpClientHandler { CookieContainer = cookies };
        using var http = new HttpClient(handler) { BaseAddress = HttpBase };
        using var response = await http.GetAsync(new Uri("/test/login?user=" + Uri.EscapeDataString(userId), UriKind.Relative));
        response.EnsureSuccessStatusCode();
        return cookies;
    }

    /// <summary>Signs in as <paramref name="userId"/> and opens an event socket.</summary>
    public async Task<EventClient> ConnectAsync(string userId, string? query = null, bool startReading = true)
    {
        var cookies = await SignInAsync(userId);
        return await EventClient.ConnectAsync(WithQuery(query), o => o.Cookies = cookies, startReading);
    }

    /// <summary>Opens <paramref name="count"/> sockets for one user, signed in once.</summary>
    public async Task<EventClient[]> ConnectManyAsync(string userId, int count)
    {
        var cookies = await SignInAsync(userId);
        var clients = new EventClient[count];
        for (var i = 0; i < count; i++)
        {
            clients[i] = await EventClient.ConnectAsync(WebSocketUri, o => o.Cookies = cookies, startReading: true);
        }

        return clients;
    }

    /// <summary>Opens a socket with no authentication at all.</summary>
    public Task<EventClient> ConnectAnonymousAsync(string? query = null) => EventClient.ConnectAsync(WithQuery(query), _ => { }, startReading: true);

    public UserExecutionContext Context(string userId, string threadId = "thread-1") => UserExecutionContext.Create(userId, threadId);

    public Task StopAsync() => _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private Uri WithQuery(string? query) => query is null ? WebSocketUri : new UriBuilder(WebSocketUri) { Query = query }.Uri;
}
