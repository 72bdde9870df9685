using AgentBridge;
using LegacyAgents.Agents;
using LegacyAgents.Realtime;

var builder = WebApplication.CreateBuilder(args);

// The old wiring: one manager, one bridge for everybody.
builder.Services.AddSingleton<WebSocketConnectionManager>();
builder.Services.AddSingleton<AgentWebSocketBridge>(sp => new AgentWebSocketBridge(sp.GetRequiredService<WebSocketConnectionManager>()));
builder.Services.AddSingleton<AgentRegistry>();
builder.Services.AddScoped<TriageAgent>();
builder.Services.AddScoped<ToolRunner>();
builder.Services.AddScoped<ReportAgent>();
builder.Services.AddScoped<SessionWirer>();
builder.Services.AddScoped<SummaryAgent>();

// The real-time layer from before AgentBridge (see AgentBridge.Types.txt): one hub, and one notifier for everybody.
builder.Services.AddSingleton<SocketHub>();
builder.Services.AddSingleton(sp => new UserNotifier(sp.GetRequiredService<SocketHub>(), "everyone"));

var app = builder.Build();

app.MapPost("/triage/{threadId}", async (string threadId, HttpContext http, TriageAgent agent) =>
{
    var context = UserExecutionContext.Create(http.User.Identity?.Name ?? "anonymous", threadId);
    await agent.RunAsync(context, http.RequestAborted);
    return Results.Accepted();
});

// The user id comes from the route: whoever calls this chooses whose stream the summary goes to.
app.MapPost("/summary/{userId}/{threadId}", async (string userId, string threadId, HttpContext http, SummaryAgent agent) =>
{
    var context = UserExecutionContext.Create(userId, threadId);
    await agent.SummarizeAsync(context, () => Task.FromResult("three open tickets"), http.RequestAborted);
    return Results.Accepted();
});

await app.RunAsync();
