using System.Globalization;
using System.Text;

namespace AgentBridge.Benchmarks.Analyzers.Corpus;

/// <summary>One generated source file.</summary>
internal sealed record CorpusFile(string Path, string Text);

/// <summary>The generated project: its files and the diagnostics they must produce.</summary>
internal sealed record GeneratedCorpus(string Shape, IReadOnlyList<CorpusFile> Files, ExpectedDiagnostics Expected)
{
    public int LineCount => Files.Sum(f => f.Text.Count(c => c == '\n'));
}

/// <summary>
/// Writes a realistic multi-user agent backend: agents, tools, orchestrators (the hub side), DI modules, plain domain
/// services, and "legacy" files that hold the violations. Deterministic for a given file count. Most of the code is
/// clean and uses the same AgentBridge types the rules look at (factory, bridge, runs, registry, sessions, the
/// manager's non-sending members, a user's own type called AgentWebSocketBridge), so the analyzers do their usual
/// work on every invocation, creation and static member; the violations are planted and counted as they are written.
/// </summary>
internal static class CorpusGenerator
{
    private static readonly string[] Topics =
    [
        "Billing", "Refund", "Travel", "Triage", "Research", "Calendar", "Support", "Sales", "Onboarding", "Compliance",
        "Inventory", "Shipping", "Hiring", "Legal", "Security", "Pricing", "Marketing", "Analytics", "Feedback", "Docs",
    ];

    /// <summary>The file count the full benchmark uses.</summary>
    public const int DefaultFileCount = 300;

    /// <summary>The send-dense corpus of the full benchmark: 400 files of 12 sends (4,800 sites).</summary>
    public const int DefaultDenseFileCount = 400;

    public const int DefaultSendsPerFile = 12;

    /// <summary>
    /// The team's own types (an AdditionalFiles item, as a project would add it): its hub is a direct send, its
    /// notifier an emitter, and one line names a method that does not exist (AGB0008, every corpus).
    /// </summary>
    public const string TypesFile = """
        # the hub from before AgentBridge: a direct send
        send M:Contoso.AgentPlatform.Common.SocketHub.PushAsync(System.String,System.Object)
        # the per-user notifier from before AgentBridge: an emitter
        emitter T:Contoso.AgentPlatform.Common.LegacyNotifier
        # renamed since: names nothing
        send M:Contoso.AgentPlatform.Common.SocketHub.PushAllAsync(System.Object)

        """;

    public const string TypesFileName = "AgentBridge.Types.txt";

    public static GeneratedCorpus Generate(int fileCount)
    {
        if (fileCount < 20)
        {
            throw new ArgumentOutOfRangeException(nameof(fileCount), "At least 20 files, so every kind of file and violation is present.");
        }

        var expected = Common(out var files);

        var generated = fileCount - files.Count;
        for (var i = 0; i < generated; i++)
        {
            var (folder, text) = (i % 10) switch
            {
                0 or 1 or 2 => ("Agents", Agent(i)),
                3 or 4 => ("Tools", Tool(i)),
                5 => ("Orchestration", Orchestrator(i)),
                6 => ("Setup", DependencyInjection(i, expected)),
                7 or 8 => ("Domain", DomainService(i)),
                _ => ("Legacy", Legacy(i, expected)),
            };
            files.Add(new CorpusFile($"{folder}/{Name(i)}{folder.TrimEnd('s')}{N(i)}.cs", text));
        }

        return new GeneratedCorpus("sparse", files, expected);
    }

    /// <summary>
    /// The send-dense shape: <paramref name="fileCount"/> files of one service each that sends through the manager
    /// <paramref name="sendsPerFile"/> times (a quarter each: to a context's user, to a user id parameter, to a
    /// connection, to everyone) — thousands of AGB0001 and RS0030 sites, where the sparse corpus has a few dozen.
    /// </summary>
    public static GeneratedCorpus GenerateDense(int fileCount, int sendsPerFile = DefaultSendsPerFile)
    {
        if (sendsPerFile % 4 != 0 || sendsPerFile <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(sendsPerFile), "A multiple of 4: each kind of send as often.");
        }

        var expected = Common(out var files);
        for (var i = 0; i < fileCount; i++)
        {
            files.Add(new CorpusFile($"Dense/{Name(i)}Broadcaster{N(i)}.cs", Dense(i, sendsPerFile / 4)));
            expected.Add("AGB0001", sendsPerFile);
            expected.AddBannedApi(sendsPerFile);
        }

        return new GeneratedCorpus("dense", files, expected);
    }

    /// <summary>The files and diagnostics both shapes share: usings, models, the team's types (one line names nothing).</summary>
    private static ExpectedDiagnostics Common(out List<CorpusFile> files)
    {
        files =
        [
            new("Common/GlobalUsings.cs", GlobalUsings),
            new("Common/Models.cs", CommonModels),
        ];
        var expected = new ExpectedDiagnostics();
        expected.Add("AGB0008");
        return expected;
    }

    private static string N(int i) => i.ToString("D3", CultureInfo.InvariantCulture);

    private static string Name(int i) => Topics[i % Topics.Length];

    private static string Inv(double value) => value.ToString("0.0#", CultureInfo.InvariantCulture);

    private const string GlobalUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.Linq;
        global using System.Threading;
        global using System.Threading.Tasks;
        global using AgentBridge;
        global using Contoso.AgentPlatform.Common;
        global using Microsoft.Extensions.DependencyInjection;
        global using Microsoft.Extensions.Logging;

        """;

    private const string CommonModels = """
        using System.Collections.Concurrent;
        using System.Globalization;

        namespace Contoso.AgentPlatform.Common
        {
            public sealed record ChatMessage(string Role, string Text, DateTimeOffset At);

            public sealed record AgentRequest(string ThreadId, IReadOnlyList<ChatMessage> Messages);

            public sealed record AgentAnswer(string Agent, string Text, double Confidence);

            public sealed record KnowledgeHit(string Title, string Url, double Relevance);

            public sealed record ToolResult(bool Success, string Output);

            public interface IKnowledgeStore
            {
                Task<IReadOnlyList<KnowledgeHit>> SearchAsync(string userId, IReadOnlyCollection<string> keywords, CancellationToken ct);
            }

            public interface ITool
            {
                string Name { get; }

                Task<ToolResult> InvokeAsync(UserExecutionContext context, IReadOnlyDictionary<string, string> arguments, AgentWebSocketBridge bridge, CancellationToken ct);
            }

            public sealed class InMemoryKnowledgeStore : IKnowledgeStore
            {
                private readonly ConcurrentDictionary<string, List<KnowledgeHit>> _byUser = new(StringComparer.Ordinal);

                public void Add(string userId, KnowledgeHit hit) => _byUser.GetOrAdd(userId, _ => new List<KnowledgeHit>()).Add(hit);

                public Task<IReadOnlyList<KnowledgeHit>> SearchAsync(string userId, IReadOnlyCollection<string> keywords, CancellationToken ct)
                {
                    ct.ThrowIfCancellationRequested();
                    if (!_byUser.TryGetValue(userId, out var hits))
                    {
                        return Task.FromResult<IReadOnlyList<KnowledgeHit>>(Array.Empty<KnowledgeHit>());
                    }

                    IReadOnlyList<KnowledgeHit> found = hits
                        .Where(h => keywords.Any(k => h.Title.Contains(k, StringComparison.OrdinalIgnoreCase)))
                        .OrderByDescending(h => h.Relevance)
                        .ToList();
                    return Task.FromResult(found);
                }
            }

            /// <summary>The team's hub from before AgentBridge (listed in AgentBridge.Types.txt).</summary>
            public sealed class SocketHub
            {
                public static SocketHub Default { get; } = new();

                public Task PushAsync(string userId, object payload) => Task.CompletedTask;
            }

            /// <summary>The team's per-user notifier from before AgentBridge (listed in AgentBridge.Types.txt).</summary>
            public sealed class LegacyNotifier
            {
                public Task NotifyAsync(string text) => Task.CompletedTask;
            }

            public static class UserContexts
            {
                public static UserExecutionContext For(string userId, string threadId) => UserExecutionContext.Create(userId, threadId);

                public static string Describe(UserExecutionContext context) =>
                    string.Create(CultureInfo.InvariantCulture, $"{context.ThreadId}/{context.RunId}");
            }
        }

        """;

    private static string Agent(int i)
    {
        var name = Name(i);
        return $$"""
            namespace Contoso.AgentPlatform.Agents.N{{N(i)}}
            {
                /// <summary>The {{name.ToLowerInvariant()}} agent: reads the thread, searches, answers.</summary>
                public sealed class {{name}}Agent : IAgent
                {
                    private readonly IAgentWebSocketBridgeFactory _bridges;
                    private readonly IKnowledgeStore _store;
                    private readonly ILogger<{{name}}Agent> _logger;

                    public {{name}}Agent(IAgentWebSocketBridgeFactory bridges, IKnowledgeStore store, ILogger<{{name}}Agent> logger)
                    {
                        _bridges = bridges;
                        _store = store;
                        _logger = logger;
                    }

                    public string Name => "{{name.ToLowerInvariant()}}-{{N(i)}}";

                    public async Task<AgentAnswer> RunAsync(UserExecutionContext context, AgentRequest request, CancellationToken ct = default)
                    {
                        var bridge = _bridges.Create(context);
                        await using var run = await bridge.BeginRunAsync(Name, ct);
                        await run.ThinkingAsync($"Reading {request.Messages.Count} messages", ct);

                        var keywords = request.Messages
                            .Where(m => m.Role == "user")
                            .SelectMany(m => m.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                            .Where(w => w.Length > {{3 + (i % 3)}})
                            .GroupBy(w => w.ToLowerInvariant())
                            .OrderByDescending(g => g.Count())
                            .ThenBy(g => g.Key, StringComparer.Ordinal)
                            .Take({{4 + (i % 4)}})
                            .Select(g => g.Key)
                            .ToList();

                        await run.ToolExecutingAsync("search", new { keywords }, ct);
                        var hits = await _store.SearchAsync(context.UserId, keywords, ct);
                        await run.ToolCompletedAsync("search", new { count = hits.Count }, ct);

                        var score = Score(hits);
                        if (score < {{Inv(0.1 + (i % 7) / 10.0)}})
                        {
                            _logger.LogInformation("Low confidence {Score} for {Thread}", score, context.ThreadId);
                            await bridge.EmitAgentThinkingAsync(Name, "Low confidence, asking for clarification", ct);
                        }

                        var answer = new AgentAnswer(Name, Summarize(hits), score);
                        run.Complete(answer);
                        return answer;
                    }

                    private static double Score(IReadOnlyList<KnowledgeHit> hits) =>
                        hits.Count == 0 ? 0 : hits.Average(h => h.Relevance) * Math.Min(1.0, hits.Count / 5.0);

                    private static string Summarize(IReadOnlyList<KnowledgeHit> hits) => hits switch
                    {
                        [] => "Nothing found.",
                        [var only] => only.Title,
                        _ => string.Join("; ", hits.Take(3).Select(h => $"{h.Title} ({h.Relevance:P0})")),
                    };
                }
            }

            """;
    }

    private static string Tool(int i)
    {
        var name = Name(i);
        return $$"""
            using System.Globalization;

            namespace Contoso.AgentPlatform.Tools.N{{N(i)}}
            {
                /// <summary>A tool the agents call; it reports its progress through the run's bridge.</summary>
                public sealed class {{name}}Tool : ITool
                {
                    private static readonly IReadOnlyDictionary<string, decimal> Rates = new Dictionary<string, decimal>(StringComparer.OrdinalIgnoreCase)
                    {
                        ["eur"] = 1.0m,
                        ["usd"] = 1.08m,
                        ["gbp"] = 0.86m,
                        ["chf"] = {{Inv(0.9 + (i % 5) / 100.0)}}m,
                    };

                    public string Name => "{{name.ToLowerInvariant()}}-tool-{{N(i)}}";

                    public async Task<ToolResult> InvokeAsync(UserExecutionContext context, IReadOnlyDictionary<string, string> arguments, AgentWebSocketBridge bridge, CancellationToken ct)
                    {
                        await bridge.EmitToolExecutingAsync("{{name.ToLowerInvariant()}}", Name, arguments, ct);
                        if (!arguments.TryGetValue("amount", out var raw)
                            || !decimal.TryParse(raw, NumberStyles.Number, CultureInfo.InvariantCulture, out var amount))
                        {
                            var failure = new ToolResult(false, "amount is missing");
                            await bridge.EmitToolCompletedAsync("{{name.ToLowerInvariant()}}", Name, failure, ct);
                            return failure;
                        }

                        var currency = arguments.TryGetValue("currency", out var c) ? c : "eur";
                        var rate = Rates.TryGetValue(currency, out var r) ? r : 1m;
                        var parts = Enumerable.Range(1, {{3 + (i % 5)}})
                            .Select(n => new { n, value = Math.Round(amount * rate / n, 2) })
                            .Where(x => x.value > 0)
                            .ToArray();
                        var output = string.Join(",", parts.Select(p => p.value.ToString(CultureInfo.InvariantCulture)));
                        var result = new ToolResult(true, $"{UserContexts.Describe(context)}: {output}");
                        await bridge.EmitToolCompletedAsync("{{name.ToLowerInvariant()}}", Name, result, ct);
                        return result;
                    }
                }
            }

            """;
    }

    private static string Orchestrator(int i)
    {
        var name = Name(i);
        return $$"""
            namespace Contoso.AgentPlatform.Orchestration.N{{N(i)}}
            {
                /// <summary>The hub side: wires a user's session, registers agents, runs the tools for one request.</summary>
                public sealed class {{name}}Orchestrator
                {
                    private readonly AgentRegistry _registry;
                    private readonly WebSocketConnectionManager _manager;
                    private readonly IAgentWebSocketBridgeFactory _bridges;
                    private readonly IReadOnlyList<ITool> _tools;
                    private AgentWebSocketBridge? _lastBridge;

                    public {{name}}Orchestrator(AgentRegistry registry, WebSocketConnectionManager manager, IAgentWebSocketBridgeFactory bridges, IEnumerable<ITool> tools)
                    {
                        _registry = registry;
                        _manager = manager;
                        _bridges = bridges;
                        _tools = tools.ToList();
                    }

                    public async Task<int> StartAsync(string userId, string threadId, IEnumerable<string> agentTypes, CancellationToken ct)
                    {
                        var context = UserExecutionContext.Create(userId, threadId);
                        var session = await _registry.GetUserSessionAsync(context);
                        await session.SetWebSocketManagerAsync(_manager, context);

                        var registered = 0;
                        foreach (var type in agentTypes.Distinct(StringComparer.Ordinal))
                        {
                            if (await session.GetAgentAsync(type) is null)
                            {
                                await session.RegisterAgentAsync(type, new NamedAgent(type));
                                registered++;
                            }
                        }

                        var bridge = _lastBridge = _bridges.Create(context);
                        await bridge.EmitAgentStartedAsync("orchestrator-{{N(i)}}", ct);
                        try
                        {
                            if (_manager.GetConnectionCount(userId) == 0)
                            {
                                await bridge.EmitAgentThinkingAsync("orchestrator-{{N(i)}}", "No connection yet; the events wait for resume", ct);
                            }

                            foreach (var tool in _tools.Where(t => t.Name.Length > 2).Take({{2 + (i % 3)}}))
                            {
                                var arguments = new Dictionary<string, string> { ["amount"] = "{{10 + i}}.5", ["currency"] = "usd" };
                                var result = await tool.InvokeAsync(context, arguments, bridge, ct);
                                if (!result.Success)
                                {
                                    break;
                                }
                            }
                        }
                        finally
                        {
                            await bridge.EmitAgentCompletedAsync("orchestrator-{{N(i)}}", new { registered }, ct);
                        }

                        return registered;
                    }

                    public Task ResumeAsync(string note, CancellationToken ct) =>
                        _lastBridge is { } bridge ? bridge.EmitAsync(new AgentEvent(AgentEventTypes.AgentThinking, new { note }), ct) : Task.CompletedTask;

                    private sealed class NamedAgent(string name) : IAgent
                    {
                        public string Name { get; } = name;
                    }
                }
            }

            """;
    }

    private static string DependencyInjection(int i, ExpectedDiagnostics expected)
    {
        var name = Name(i);
        var agentIndex = i - 6; // i % 10 == 6, so this file is an agent file
        var agentRegistration = agentIndex >= 0
            ? $"services.AddScoped<Contoso.AgentPlatform.Agents.N{N(agentIndex)}.{Name(agentIndex)}Agent>();"
            : "services.AddScoped<InMemoryKnowledgeStore>();";
        var toolIndex = i - 2; // i % 10 == 4: a tool file
        var toolRegistration = $"services.AddTransient<ITool, Contoso.AgentPlatform.Tools.N{N(toolIndex)}.{Name(toolIndex)}Tool>();";

        // Every third DI module shares one bridge as a singleton: AGB0002 (no banned member: it uses the factory).
        var singleton = string.Empty;
        if ((i / 10) % 3 == 0)
        {
            singleton = """
                            services.AddSingleton<AgentWebSocketBridge>(sp => sp.GetRequiredService<IAgentWebSocketBridgeFactory>().Create(UserContexts.For("system", "shared")));
                """;
            expected.Add("AGB0002");
        }

        return $$"""
            namespace Contoso.AgentPlatform.Setup.N{{N(i)}}
            {
                public static class {{name}}ServiceCollectionExtensions{{N(i)}}
                {
                    public static IServiceCollection Add{{name}}Module{{N(i)}}(this IServiceCollection services, int replayWindow = {{500 + i}})
                    {
                        services.AddAgentBridge(options =>
                        {
                            options.ReplayWindowSize = replayWindow;
                            options.KeepAliveInterval = TimeSpan.FromSeconds({{10 + (i % 20)}});
                            options.AllowedOrigins.Add("https://{{name.ToLowerInvariant()}}.example.com");
                        });
                        services.AddSingleton<IKnowledgeStore, InMemoryKnowledgeStore>();
                        services.AddSingleton<WebSocketConnectionManager>();
                        services.AddScoped(sp => sp.GetRequiredService<IAgentWebSocketBridgeFactory>().Create(UserContexts.For("svc-{{N(i)}}", "thread")));
                        {{agentRegistration}}
                        {{toolRegistration}}
                        services.AddLogging();
            {{singleton}}
                        return services;
                    }
                }
            }

            """;
    }

    private static string DomainService(int i)
    {
        var name = Name(i);
        return $$"""
            using System.Collections.Concurrent;
            using System.Text;

            namespace Contoso.AgentPlatform.Domain.N{{N(i)}}
            {
                public enum {{name}}Stage { Draft, Review, Approved, Rejected, Archived }

                public sealed record {{name}}Item(Guid Id, string Owner, string Title, decimal Amount, {{name}}Stage Stage, DateTimeOffset Updated);

                public sealed record Page<T>(IReadOnlyList<T> Items, int Total, string? Next);

                /// <summary>Plain application code: the bulk of a real backend, no AgentBridge in sight.</summary>
                public sealed class {{name}}Store
                {
                    private readonly ConcurrentDictionary<Guid, {{name}}Item> _items = new();
                    private readonly TimeProvider _time;

                    public {{name}}Store(TimeProvider time) => _time = time;

                    public {{name}}Item Upsert(string owner, string title, decimal amount)
                    {
                        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
                        var item = new {{name}}Item(Guid.NewGuid(), owner, title.Trim(), Math.Round(amount, 2), {{name}}Stage.Draft, _time.GetUtcNow());
                        return _items.AddOrUpdate(item.Id, item, (_, old) => old with { Title = item.Title, Amount = item.Amount, Updated = item.Updated });
                    }

                    public bool Advance(Guid id)
                    {
                        if (!_items.TryGetValue(id, out var item))
                        {
                            return false;
                        }

                        var next = item.Stage switch
                        {
                            {{name}}Stage.Draft => {{name}}Stage.Review,
                            {{name}}Stage.Review when item.Amount < {{1000 + i * 10}}m => {{name}}Stage.Approved,
                            {{name}}Stage.Review => {{name}}Stage.Rejected,
                            _ => item.Stage,
                        };
                        return _items.TryUpdate(id, item with { Stage = next, Updated = _time.GetUtcNow() }, item);
                    }

                    public Page<{{name}}Item> List(string owner, int size, string? after = null)
                    {
                        var ordered = _items.Values
                            .Where(x => string.Equals(x.Owner, owner, StringComparison.Ordinal) && x.Stage != {{name}}Stage.Archived)
                            .OrderBy(x => x.Updated)
                            .ThenBy(x => x.Id)
                            .ToList();
                        var start = after is null ? 0 : ordered.FindIndex(x => x.Id.ToString("N") == after) + 1;
                        var items = ordered.Skip(start).Take(size).ToList();
                        var next = start + items.Count < ordered.Count ? items[^1].Id.ToString("N") : null;
                        return new Page<{{name}}Item>(items, ordered.Count, next);
                    }

                    public IReadOnlyDictionary<{{name}}Stage, decimal> Totals() =>
                        _items.Values.GroupBy(x => x.Stage).ToDictionary(g => g.Key, g => g.Sum(x => x.Amount));
                }

                public static class {{name}}PromptBuilder
                {
                    public static string Build(IEnumerable<{{name}}Item> items, int budget = {{400 + i}})
                    {
                        var text = new StringBuilder("You are the {{name.ToLowerInvariant()}} assistant. Items:\n");
                        foreach (var (item, index) in items.Select((x, n) => (x, n)))
                        {
                            var line = $"{index + 1}. {item.Title} [{item.Stage}] {item.Amount:0.00}";
                            if (text.Length + line.Length > budget)
                            {
                                text.AppendLine("…");
                                break;
                            }

                            text.AppendLine(line);
                        }

                        return text.ToString();
                    }

                    public static int EstimateTokens(string text) =>
                        text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Sum(w => Math.Max(1, (w.Length + 3) / 4));
                }
            }

            """;
    }

    private static string Legacy(int i, ExpectedDiagnostics expected)
    {
        var name = Name(i);
        var variant = (i / 10) % 7;
        string violation;
        switch (variant)
        {
            case 0:
                // Three direct sends from a type with no bridge: 3 × AGB0001, 3 banned uses.
                violation = $$"""
                        public sealed class {{name}}LegacyNotifier
                        {
                            private readonly WebSocketConnectionManager _manager;

                            public {{name}}LegacyNotifier(WebSocketConnectionManager manager) => _manager = manager;

                            public async Task NotifyAsync(string userId, string connectionId, string text, CancellationToken ct)
                            {
                                var agentEvent = new AgentEvent(AgentEventTypes.AgentThinking, new { text });
                                await _manager.SendToUserAsync(userId, agentEvent, ct);
                                await _manager.SendToConnectionAsync(connectionId, agentEvent, ct);
                                if (text.Length > {{100 + i}})
                                {
                                    await _manager.BroadcastAsync(new AgentEvent("maintenance"), ct);
                                }

                                // The team's own hub, listed in AgentBridge.Types.txt as a send (and banned for the peer).
                                await SocketHub.Default.PushAsync(userId, agentEvent);
                            }
                        }
                    """;
                expected.Add("AGB0001", 4);
                expected.AddBannedApi(4);
                break;
            case 1:
                // A static field and a static Lazy property of the bridge, a static field and property of the team's
                // emitter (4 × AGB0002) and a construction without a context (AGB0003, 1 banned use).
                violation = $$"""
                        public static class {{name}}SharedBridge
                        {
                            private static AgentWebSocketBridge? s_bridge;

                            // The team's own per-user notifier, listed in AgentBridge.Types.txt as an emitter.
                            private static LegacyNotifier? s_notifier;

                            public static LegacyNotifier Notifier => s_notifier ??= new LegacyNotifier();

                            public static Lazy<AgentWebSocketBridge> Deferred { get; } = new(() => throw new InvalidOperationException("not wired"));

                            public static AgentWebSocketBridge Wire(WebSocketConnectionManager manager) => s_bridge ??= new AgentWebSocketBridge(manager);
                        }
                    """;
                expected.Add("AGB0002", 4);
                expected.Add("AGB0003");
                expected.AddBannedApi();
                break;
            case 2:
                // Sessions wired and a bridge created without a context: 3 × AGB0003, nothing banned; the bridge starts a run
                // it never completes (AGB0006).
                violation = $$"""
                        public sealed class {{name}}SessionWiring
                        {
                            public async Task WireAsync(AgentRegistry registry, UserAgentSession session, WebSocketConnectionManager manager, IAgentWebSocketBridgeFactory factory)
                            {
                                await session.SetWebSocketManagerAsync(manager);
                                registry.SetWebSocketManager(manager, null);
                                var bridge = factory.Create(null!);
                                await bridge.EmitAgentStartedAsync("wiring-{{N(i)}}");
                            }
                        }
                    """;
                expected.Add("AGB0003", 3);
                expected.Add("AGB0006");
                break;
            case 3:
                // Direct constructions with a context: 2 × AGB0004, 2 banned uses.
                violation = $$"""
                        public sealed class {{name}}BridgeBuilder
                        {
                            private readonly WebSocketConnectionManager _manager;

                            public {{name}}BridgeBuilder(WebSocketConnectionManager manager) => _manager = manager;

                            public AgentWebSocketBridge For(UserExecutionContext context) => new AgentWebSocketBridge(_manager, context);

                            public AgentWebSocketBridge ForUser(string userId) => new(_manager, UserExecutionContext.Create(userId, "legacy-{{N(i)}}"));
                        }
                    """;
                expected.Add("AGB0004", 2);
                expected.AddBannedApi(2);
                break;
            case 5:
                // A run dropped on the floor and a started event with no completion on the exception path: 2 × AGB0006.
                violation = $$"""
                        public sealed class {{name}}ForgetfulRunner
                        {
                            public async Task RunAsync(AgentWebSocketBridge bridge, Func<Task<string>> work, CancellationToken ct)
                            {
                                await bridge.BeginRunAsync("forgetful-{{N(i)}}", ct);
                                await bridge.EmitAgentThinkingAsync("forgetful-{{N(i)}}", await work(), ct);
                            }

                            public async Task<string> StartAsync(AgentWebSocketBridge bridge, Func<Task<string>> work, CancellationToken ct)
                            {
                                await bridge.EmitAgentStartedAsync("starter-{{N(i)}}", ct);
                                var answer = await work();
                                await bridge.EmitAgentCompletedAsync("starter-{{N(i)}}", answer, ct);
                                return answer;
                            }
                        }
                    """;
                expected.Add("AGB0006", 2);
                break;
            case 6:
                // A user id from the query string and one from a header (the second a direct send too):
                // 2 × AGB0007, 1 × AGB0001, 1 banned use.
                violation = $$"""
                        public sealed class {{name}}RequestEndpoint
                        {
                            private readonly IAgentWebSocketBridgeFactory _bridges;
                            private readonly WebSocketConnectionManager _manager;

                            public {{name}}RequestEndpoint(IAgentWebSocketBridgeFactory bridges, WebSocketConnectionManager manager)
                            {
                                _bridges = bridges;
                                _manager = manager;
                            }

                            public AgentWebSocketBridge Open(Microsoft.AspNetCore.Http.HttpContext http, string threadId)
                            {
                                var requested = http.Request.Query["userId"].ToString().Trim();
                                return _bridges.Create(UserExecutionContext.Create(requested, threadId));
                            }

                            public Task PingAsync(Microsoft.AspNetCore.Http.HttpRequest request) =>
                                _manager.SendToUserAsync(request.Headers["X-User"].ToString(), new AgentEvent("ping"));
                        }
                    """;
                expected.Add("AGB0007", 2);
                expected.Add("AGB0001");
                expected.AddBannedApi();
                break;
            default:
                // One type sending through the bridge and the manager: AGB0005 and its AGB0001 site, 1 banned use; the run it
                // starts is never completed (AGB0006).
                violation = $$"""
                        public sealed class {{name}}DualDispatcher
                        {
                            private readonly WebSocketConnectionManager _manager;
                            private readonly IAgentWebSocketBridgeFactory _factory;

                            public {{name}}DualDispatcher(WebSocketConnectionManager manager, IAgentWebSocketBridgeFactory factory)
                            {
                                _manager = manager;
                                _factory = factory;
                            }

                            public async Task ReportAsync(UserExecutionContext context, string status, CancellationToken ct)
                            {
                                var bridge = _factory.Create(context);
                                await bridge.EmitAgentStartedAsync("reporter-{{N(i)}}", ct);
                                await _manager.BroadcastAsync(new AgentEvent("status", new { status }), ct);
                            }
                        }
                    """;
                expected.Add("AGB0005");
                expected.Add("AGB0001");
                expected.Add("AGB0006");
                expected.AddBannedApi();
                break;
        }

        // Every legacy file also holds look-alikes the rules must leave alone: a user's own AgentWebSocketBridge in
        // another namespace (static, constructed, with a SendToUserAsync), instance bridge fields, a static factory.
        return $$"""
            namespace Contoso.AgentPlatform.Legacy.N{{N(i)}}
            {
            {{violation}}

                public sealed class {{name}}CleanHolder
                {
                    private static IAgentWebSocketBridgeFactory? s_factory;
                    private readonly AgentWebSocketBridge? _bridge;

                    public {{name}}CleanHolder(IAgentWebSocketBridgeFactory factory, UserExecutionContext context)
                    {
                        s_factory ??= factory;
                        _bridge = factory.Create(context);
                    }

                    public Task PingAsync() => _bridge?.EmitAsync(new AgentEvent("ping")) ?? Task.CompletedTask;

                    public static AgentWebSocketBridge? ForContext(UserExecutionContext context) => s_factory?.Create(context);
                }
            }

            namespace Contoso.AgentPlatform.Legacy.N{{N(i)}}.Fakes
            {
                public sealed class AgentWebSocketBridge
                {
                    public static AgentWebSocketBridge Shared { get; } = new AgentWebSocketBridge();

                    public Task SendToUserAsync(string userId, string text) => Task.CompletedTask;
                }

                public static class FakeUse
                {
                    public static Task Run(string userId) => AgentWebSocketBridge.Shared.SendToUserAsync(userId, "hello");
                }
            }

            """;
    }

    private static string Dense(int i, int perKind)
    {
        var name = Name(i);
        var toContext = new StringBuilder();
        var toUser = new StringBuilder();
        var toConnection = new StringBuilder();
        var toAll = new StringBuilder();
        for (var k = 0; k < perKind; k++)
        {
            toContext.Append(CultureInfo.InvariantCulture, $$"""
                            await _manager.SendToUserAsync(context.UserId, new AgentEvent(AgentEventTypes.AgentThinking, new { step = steps[{{k}} % steps.Count], index = {{k}} }), ct);

                """);
            toUser.Append(CultureInfo.InvariantCulture, $$"""
                            await _manager.SendToUserAsync(userId, new AgentEvent({{(k % 2 == 0 ? "AgentEventTypes.ToolExecuting" : "AgentEventTypes.ToolCompleted")}}, new { tool, part = {{k}} }), ct);

                """);
            toConnection.Append(CultureInfo.InvariantCulture, $$"""
                            await _manager.SendToConnectionAsync(connectionId, new AgentEvent("progress", new { percent = {{(k + 1) * 100 / perKind}} }), ct);

                """);
            toAll.Append(CultureInfo.InvariantCulture, $$"""
                            await _manager.BroadcastAsync(new AgentEvent("maintenance", new { minutes = {{5 + k}}, region = "{{name.ToLowerInvariant()}}" }), ct);

                """);
        }

        return $$"""
            namespace Contoso.AgentPlatform.Dense.N{{N(i)}}
            {
                /// <summary>A service written before AgentBridge: it sends every event through the manager itself.</summary>
                public sealed class {{name}}Broadcaster{{N(i)}}
                {
                    private readonly WebSocketConnectionManager _manager;
                    private readonly ILogger<{{name}}Broadcaster{{N(i)}}> _logger;

                    public {{name}}Broadcaster{{N(i)}}(WebSocketConnectionManager manager, ILogger<{{name}}Broadcaster{{N(i)}}> logger)
                    {
                        _manager = manager;
                        _logger = logger;
                    }

                    public async Task ProgressAsync(UserExecutionContext context, IReadOnlyList<string> steps, CancellationToken ct)
                    {
                        _logger.LogDebug("Progress for {Thread}: {Count} steps", context.ThreadId, steps.Count);
            {{toContext}}        }

                    public async Task ToolAsync(string userId, string tool, CancellationToken ct)
                    {
                        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
            {{toUser}}        }

                    public async Task ConnectionAsync(string connectionId, CancellationToken ct)
                    {
                        if (_manager.GetConnectionCount(connectionId) < {{i % 3}})
                        {
                            return;
                        }

            {{toConnection}}        }

                    public async Task MaintenanceAsync(CancellationToken ct)
                    {
            {{toAll}}        }
                }
            }

            """;
    }
}
