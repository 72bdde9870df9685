using System.Security.Claims;
using AgentBridge;
using AgentChat.Agent;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using StackExchange.Redis;

namespace AgentChat;

/// <summary>Builds the sample app; the tests start it in-process the same way <c>Program.cs</c> does.</summary>
public static class AgentChatApp
{
    /// <summary>The address the sample serves when no other is configured (<c>--urls</c> changes it).</summary>
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>Builds the app.</summary>
    /// <param name="args">Command-line arguments, e.g. <c>--urls http://127.0.0.1:0</c> or <c>--redis 127.0.0.1:6379</c>.</param>
    /// <returns>The app, ready to run.</returns>
    public static WebApplication Create(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.Services
            .AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options =>
            {
                options.Cookie.Name = "agentchat.auth";
                options.Cookie.SameSite = SameSiteMode.Strict;
                // An API answers 401, not a redirect to a login page.
                options.Events.OnRedirectToLogin = context =>
                {
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    return Task.CompletedTask;
                };
            });
        builder.Services.AddAuthorization();
        var agentBridge = builder.Services.AddAgentBridge(options => options.ReplayWindowSize = 2000);
        if (builder.Configuration["Redis"] is { Length: > 0 } redis)
        {
            UseRedis(builder, agentBridge, redis);
        }

        builder.Services.AddDemoAgent();
        builder.Services.AddSingleton<DemoAgentRunner>();

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapGet("/", () => Results.Stream(
            typeof(AgentChatApp).Assembly.GetManifestResourceStream("AgentChat.index.html")!,
            "text/html; charset=utf-8"));
        app.MapGet("/js/agentbridge-client.js", () => Results.Stream(
            typeof(AgentChatApp).Assembly.GetManifestResourceStream("AgentChat.agentbridge-client.js")!,
            "text/javascript; charset=utf-8"));

        if (app.Environment.IsDevelopment())
        {
            MapDevelopmentSignIn(app);
        }

        app.MapPost("/api/runs", (StartRunRequest? request, ClaimsPrincipal user, DemoAgentRunner runner) =>
        {
            request ??= new StartRunRequest();
            if (request.Validate() is { } problem)
            {
                return Results.ValidationProblem(problem);
            }

            var userId = user.FindFirstValue(ClaimTypes.NameIdentifier)!;
            var context = UserExecutionContext.Create(userId, request.ThreadId ?? "thread_" + Guid.NewGuid().ToString("N")[..12]);
            runner.Start(context, request);
            return Results.Accepted(value: new { runId = context.RunId, threadId = context.ThreadId });
        }).RequireAuthorization();

        // Behind the authorization middleware too, so that a signed-out page asking "am I still signed in?" after a
        // failed reconnect gets a 401 (a browser never sees the status of a refused upgrade): docs/client.md.
        app.MapAgentBridge("/agent-events").RequireAuthorization();
        // AG-UI front ends (@ag-ui/client): the same agent, the run streamed to the caller and to the user's sockets.
        app.MapAgentBridgeAgUi("/ag-ui", app.Services.GetRequiredService<DemoAgent>().Agent, DemoAgent.RunOptions);
        return app;
    }

    /// <summary>
    /// More than one instance (<c>--redis host:port</c>, configuration key <c>Redis</c>): the users' event streams live
    /// in Redis, so a run on one instance reaches the user's tabs on every instance, and the Data Protection keys that
    /// sign the sign-in cookie live there too, so a sign-in on one instance is valid on the others.
    /// </summary>
    private static void UseRedis(WebApplicationBuilder builder, IAgentBridgeBuilder agentBridge, string redis)
    {
        agentBridge.AddStackExchangeRedis(redis, options => options.Prefix = "agentchat");
        var keys = new Lazy<IConnectionMultiplexer>(() => ConnectionMultiplexer.Connect(redis));
        builder.Services.AddDataProtection()
            .SetApplicationName("AgentChat")
            .PersistKeysToStackExchangeRedis(() => keys.Value.GetDatabase(), "agentchat:data-protection-keys");
    }

    /// <summary>
    /// DEVELOPMENT ONLY — NOT FOR PRODUCTION. Signs anyone in as any user id they name, so the demo can be
    /// tried without an identity provider. Mapped only in the Development environment.
    /// </summary>
    private static void MapDevelopmentSignIn(WebApplication app)
    {
        app.Logger.LogWarning("The development-only sign-in /dev/login is enabled: anyone can sign in as anyone. Never enable it in production.");
        app.MapGet("/dev/login", async (HttpContext http, string? user) =>
        {
            if (string.IsNullOrWhiteSpace(user) || user.Length > 64)
            {
                return Results.BadRequest(new { error = "pass ?user=<id> (1 to 64 characters)" });
            }

            var identity = new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, user), new Claim(ClaimTypes.Name, user)], CookieAuthenticationDefaults.AuthenticationScheme);
            await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
            return Results.Ok(new { userId = user, warning = "development-only sign-in; not for production" });
        });
    }
}
