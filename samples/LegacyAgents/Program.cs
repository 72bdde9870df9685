using AgentBridge;
using LegacyAgents.Agents;

var builder = WebApplication.CreateBuilder(args);

// The old wiring: one manager, one bridge for everybody.
builder.Services.AddSingleton<WebSocketConnectionManager>();
builder.Services.AddSingleton<AgentWebSocketBridge>(sp => new AgentWebSocketBridge(sp.GetRequiredService<WebSocketConnectionManager>()));
builder.Services.AddSingleton<AgentRegistry>();
builder.Services.AddScoped<TriageAgent>();
builder.Services.AddScoped<ToolRunner>();
builder.Services.AddScoped<ReportAgent>();
builder.Services.AddScoped<SessionWirer>();

var app = builder.Build();

app.MapPost("/triage/{threadId}", async (string threadId, HttpContext http, TriageAgent agent) =>
{
    var context = UserExecutionContext.Create(http.User.Identity?.Name ?? "anonymous", threadId);
    await agent.RunAsync(context, http.RequestAborted);
    return Results.Accepted();
});

await app.RunAsync();
