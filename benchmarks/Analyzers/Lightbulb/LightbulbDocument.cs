using System.Globalization;
using System.Text;

namespace AgentBridge.Benchmarks.Analyzers.Lightbulb;

/// <summary>
/// The document the lightbulb is measured on: about 2,000 lines of one service class (realistic members, LINQ,
/// switches, string building) holding one site of every rule that has a fix. AGB0001 and AGB0004 need a factory the
/// class does not have, so their fixes inject one through its constructor: the most work a fix does.
/// </summary>
internal static class LightbulbDocument
{
    public const string Path = "/lightbulb/TriageService.cs";

    /// <summary>The fixable rules, each with one site in the document.</summary>
    public static readonly string[] RuleIds = ["AGB0001", "AGB0002", "AGB0003", "AGB0004", "AGB0006", "AGB0007"];

    public static string Generate(int fillerMethods = 62)
    {
        var text = new StringBuilder();
        text.Append("""
            using System;
            using System.Collections.Generic;
            using System.Globalization;
            using System.Linq;
            using System.Text;
            using System.Threading;
            using System.Threading.Tasks;
            using AgentBridge;
            using Microsoft.AspNetCore.Http;
            using Microsoft.Extensions.DependencyInjection;

            namespace Contoso.Lightbulb;

            public static class Startup
            {
                public static void Configure(IServiceCollection services)
                {
                    services.AddSingleton<AgentWebSocketBridge>();
                }
            }

            public sealed record Ticket(Guid Id, string Owner, string Title, int Priority, DateTimeOffset Opened, IReadOnlyList<string> Tags);

            public sealed class TriageService
            {
                private readonly WebSocketConnectionManager _manager;
                private readonly AgentRegistry _registry;
                private readonly Dictionary<Guid, Ticket> _tickets = new();

                public TriageService(WebSocketConnectionManager manager, AgentRegistry registry)
                {
                    _manager = manager;
                    _registry = registry;
                }

                public async Task NotifyAsync(UserExecutionContext context, AgentEvent agentEvent, CancellationToken cancellationToken)
                {
                    await _manager.SendToUserAsync(context.UserId, agentEvent, cancellationToken);
                }

                public void Wire(UserExecutionContext context) => _registry.SetWebSocketManager(_manager);

                public AgentWebSocketBridge Bridge(UserExecutionContext context) => new AgentWebSocketBridge(_manager, context);

                public async Task RunAsync(AgentWebSocketBridge bridge, CancellationToken cancellationToken)
                {
                    await bridge.BeginRunAsync("triage", cancellationToken);
                    await bridge.EmitAgentThinkingAsync("triage", "reading", cancellationToken);
                }

                public UserExecutionContext FromRequest(HttpContext http, string threadId) =>
                    UserExecutionContext.Create(http.Request.Query["userId"].ToString(), threadId);

            """);
        for (var i = 0; i < fillerMethods; i++)
        {
            text.Append(Filler(i));
        }

        text.Append("}\n");
        return text.ToString();
    }

    private static string Filler(int i)
    {
        var n = i.ToString(CultureInfo.InvariantCulture);
        return $$"""
                public IReadOnlyList<string> Summarize{{n}}(string owner, int limit, IEnumerable<string>? extraTags = null)
                {
                    ArgumentException.ThrowIfNullOrWhiteSpace(owner);
                    var tags = new HashSet<string>(extraTags ?? Array.Empty<string>(), StringComparer.OrdinalIgnoreCase);
                    var lines = new List<string>();
                    foreach (var ticket in _tickets.Values
                        .Where(t => string.Equals(t.Owner, owner, StringComparison.Ordinal) && t.Priority >= {{i % 5}})
                        .OrderByDescending(t => t.Priority)
                        .ThenBy(t => t.Opened)
                        .Take(limit))
                    {
                        var label = ticket.Priority switch
                        {
                            >= 4 => "urgent",
                            3 => "high",
                            2 => "normal",
                            _ => "low",
                        };
                        var shared = ticket.Tags.Count(tags.Contains);
                        var age = DateTimeOffset.UtcNow - ticket.Opened;
                        var text = new StringBuilder()
                            .Append(ticket.Title.Trim())
                            .Append(" [").Append(label).Append("] ")
                            .Append(age.TotalHours.ToString("0.0", CultureInfo.InvariantCulture)).Append(" h");
                        if (shared > {{i % 3}})
                        {
                            text.Append(" +").Append(shared.ToString(CultureInfo.InvariantCulture));
                        }

                        lines.Add(text.ToString());
                    }

                    return lines;
                }

            """;
    }
}
