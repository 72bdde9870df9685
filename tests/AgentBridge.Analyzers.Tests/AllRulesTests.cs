using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Composition;
using System.Reflection;
using AgentBridge.Analyzers.Tests.Verifiers;
using AgentBridge.CodeFixes.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Diagnostics.Telemetry;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis.Text;
using Xunit.Abstractions;

namespace AgentBridge.Analyzers.Tests;

/// <summary>
/// The checks that span every rule: documentation and release tracking, what the analyzers register (nothing without
/// the runtime, never a compilation-end action), generated code, that nothing throws on broken or real code, and the
/// shape every code fix shares.
/// </summary>
public class AllRulesTests(ITestOutputHelper output)
{
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private const string TypesFile = """
        send M:Contoso.SocketHub.PushAsync(System.String,System.Object)
        emitter T:Contoso.Notifier
        send M:Contoso.SocketHub.Missing
        """;

    /// <summary>One violation of every rule (AGB0008's is in <see cref="TypesFile"/>).</summary>
    private const string EveryViolation = """
        using System.Threading.Tasks;
        using AgentBridge;
        using Microsoft.AspNetCore.Http;
        using Microsoft.Extensions.DependencyInjection;

        namespace Contoso
        {
            public class SocketHub { public Task PushAsync(string userId, object payload) => Task.CompletedTask; }

            public class Notifier { public Task NotifyAsync(string text) => Task.CompletedTask; }

            class Violations
            {
                static AgentWebSocketBridge? _shared;

                async Task Run(WebSocketConnectionManager m, AgentWebSocketBridge b, UserExecutionContext c, AgentRegistry r, IServiceCollection s, HttpRequest request)
                {
                    await m.SendToUserAsync(c.UserId, new AgentEvent("x"));
                    await b.EmitAsync(new AgentEvent("x"));
                    _ = new AgentWebSocketBridge(m);
                    _ = new AgentWebSocketBridge(m, c);
                    r.SetWebSocketManager(m);
                    s.AddSingleton<AgentWebSocketBridge>();
                    await b.BeginRunAsync("dropped");
                    _ = UserExecutionContext.Create(request.Query["user"].ToString(), "thread");
                }
            }
        }
        """;

    public static TheoryData<string> RuleIds()
    {
        var data = new TheoryData<string>();
        foreach (var descriptor in Descriptors.All)
        {
            data.Add(descriptor.Id);
        }

        return data;
    }

    public static TheoryData<string> AnalyzerNames()
    {
        var data = new TheoryData<string>();
        foreach (var analyzer in AllRules.Analyzers)
        {
            data.Add(analyzer.GetType().Name);
        }

        return data;
    }

    public static TheoryData<string> CodeFixNames()
    {
        var data = new TheoryData<string>();
        foreach (var fixer in AllRules.CodeFixes)
        {
            data.Add(fixer.GetType().Name);
        }

        return data;
    }

    private static DiagnosticDescriptor Descriptor(string id) => Descriptors.All.Single(d => d.Id == id);

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Every_rule_has_a_docs_page_titled_with_its_id(string id)
    {
        var page = Path.Combine(AllRules.RepositoryRoot, "docs", "rules", id + ".md");
        Assert.True(File.Exists(page), $"{page} is missing");
        Assert.StartsWith($"# {id}: {Descriptor(id).Title}", File.ReadAllText(page), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Every_rule_is_in_the_rules_index_and_the_readme(string id)
    {
        Assert.Contains($"[{id}]({id}.md)", File.ReadAllText(Path.Combine(AllRules.RepositoryRoot, "docs", "rules", "README.md")), StringComparison.Ordinal);
        Assert.Contains($"[{id}](docs/rules/{id}.md)", File.ReadAllText(Path.Combine(AllRules.RepositoryRoot, "README.md")), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Every_help_link_points_at_the_rules_docs_page(string id)
    {
        var link = Descriptor(id).HelpLinkUri;
        Assert.Equal($"https://github.com/agentbridge/agentbridge/blob/main/docs/rules/{id}.md", link);
        var relative = link.Substring(link.IndexOf("/blob/main/", StringComparison.Ordinal) + "/blob/main/".Length);
        Assert.True(File.Exists(Path.Combine(AllRules.RepositoryRoot, relative)), $"{relative} is missing");
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Every_rule_is_tracked_in_the_release_files_with_its_category_and_severity(string id)
    {
        var descriptor = Descriptor(id);
        var folder = Path.Combine(AllRules.RepositoryRoot, "src", "Analyzers");
        var lines = File.ReadAllLines(Path.Combine(folder, "AnalyzerReleases.Shipped.md"))
            .Concat(File.ReadAllLines(Path.Combine(folder, "AnalyzerReleases.Unshipped.md")));
        var entry = lines.Select(l => l.Split('|').Select(p => p.Trim()).ToArray()).SingleOrDefault(p => p[0] == id);
        Assert.NotNull(entry);
        Assert.Equal("AgentBridge.Usage", entry[1]);
        Assert.Equal(descriptor.DefaultSeverity.ToString(), entry[2]);
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Every_rule_is_in_category_AgentBridge_Usage_and_enabled_by_default(string id)
    {
        Assert.Equal("AgentBridge.Usage", Descriptor(id).Category);
        Assert.True(Descriptor(id).IsEnabledByDefault);
    }

    [Fact]
    public void Default_severities_are_those_of_the_spec()
    {
        Assert.Equal(DiagnosticSeverity.Info, Descriptor("AGB0004").DefaultSeverity);
        Assert.All(new[] { "AGB0001", "AGB0002", "AGB0003", "AGB0005", "AGB0006", "AGB0007", "AGB0008" }, id => Assert.Equal(DiagnosticSeverity.Warning, Descriptor(id).DefaultSeverity));
    }

    [Fact]
    public void Every_descriptor_is_reported_by_exactly_one_shipped_analyzer()
    {
        var supported = AllRules.Analyzers.SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id).ToList();
        Assert.Equal(Descriptors.All.Select(d => d.Id).OrderBy(x => x), supported.OrderBy(x => x));
    }

    [Fact]
    public void Every_analyzer_and_code_fix_in_the_assemblies_is_shipped_and_tested()
    {
        var analyzers = typeof(Descriptors).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
            .Select(t => t.Name)
            .OrderBy(x => x);
        Assert.Equal(analyzers, AllRules.Analyzers.Select(a => a.GetType().Name).OrderBy(x => x));

        var fixes = typeof(AgentBridgeCodeFixProvider).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(CodeFixProvider).IsAssignableFrom(t))
            .Select(t => t.Name)
            .OrderBy(x => x);
        Assert.Equal(fixes, AllRules.CodeFixes.Select(f => f.GetType().Name).OrderBy(x => x));
    }

    [Theory]
    [MemberData(nameof(CodeFixNames))]
    public void Every_code_fix_is_exported_shared_with_one_key_of_its_rule_and_fix_all_in_every_scope(string name)
    {
        var fixer = AllRules.CodeFixes.Single(f => f.GetType().Name == name);
        Assert.NotNull(fixer.GetType().GetCustomAttribute<ExportCodeFixProviderAttribute>());
        Assert.NotNull(fixer.GetType().GetCustomAttribute<SharedAttribute>());

        var id = Assert.Single(fixer.FixableDiagnosticIds);
        var key = ((AgentBridgeCodeFixProvider)fixer).EquivalenceKey;
        Assert.StartsWith(id + ":", key, StringComparison.Ordinal);
        Assert.Equal(
            new[] { FixAllScope.Document, FixAllScope.Project, FixAllScope.Solution },
            fixer.GetFixAllProvider()!.GetSupportedFixAllScopes().Where(s => s is FixAllScope.Document or FixAllScope.Project or FixAllScope.Solution).OrderBy(s => s));
    }

    [Theory]
    [MemberData(nameof(AnalyzerNames))]
    public async Task Without_the_runtime_referenced_only_the_compilation_start_action_is_registered(string name)
    {
        const string Source = """
            using System.Threading.Tasks;

            namespace MyApp
            {
                class WebSocketConnectionManager { public Task SendToUserAsync(string user, object e) => Task.CompletedTask; }

                class Agent
                {
                    Task Run(WebSocketConnectionManager m) => m.SendToUserAsync("u", new object());
                }
            }
            """;
        var telemetry = await TelemetryAsync(name, Source, Basic.Reference.Assemblies.Net100.References.All, TypesFile);

        Assert.Equal(1, telemetry.CompilationStartActionsCount);
        Assert.Equal(0, telemetry.OperationActionsCount);
        Assert.Equal(0, telemetry.SymbolActionsCount);
        Assert.Equal(0, telemetry.SymbolStartActionsCount);
        Assert.Equal(0, telemetry.SyntaxNodeActionsCount);
        Assert.Equal(0, telemetry.AdditionalFileActionsCount);
    }

    [Theory]
    [MemberData(nameof(AnalyzerNames))]
    public async Task With_the_runtime_referenced_actions_are_registered_but_never_at_compilation_end(string name)
    {
        var telemetry = await TelemetryAsync(name, EveryViolation, TestReferences.All, TypesFile);

        Assert.True(telemetry.OperationActionsCount + telemetry.SymbolActionsCount + telemetry.SymbolStartActionsCount + telemetry.AdditionalFileActionsCount > 0);
        Assert.Equal(0, telemetry.CompilationEndActionsCount);
        Assert.Equal(0, telemetry.CompilationActionsCount);
        Assert.Equal(0, telemetry.SemanticModelActionsCount);
        Assert.Equal(0, telemetry.SyntaxTreeActionsCount);
    }

    [Fact]
    public async Task Without_a_types_file_or_with_a_good_one_AGB0008_registers_nothing_more()
    {
        foreach (var file in new[] { null, "emitter T:Contoso.Notifier" })
        {
            var telemetry = await TelemetryAsync(nameof(AgentBridgeAnalyzer), EveryViolation, TestReferences.All, file);
            Assert.Equal(0, telemetry.AdditionalFileActionsCount);
        }

        // A line that names nothing: the one action that reports it.
        Assert.Equal(1, (await TelemetryAsync(nameof(AgentBridgeAnalyzer), EveryViolation, TestReferences.All, TypesFile)).AdditionalFileActionsCount);
    }

    [Fact]
    public async Task A_file_named_g_cs_is_not_analyzed_by_any_rule()
    {
        var test = new AgentBridgeVerifier<Rule.Every, EmptyCodeFixProvider>.Test();
        test.TestState.Sources.Add(("/0/Agent.g.cs", EveryViolation));
        await test.RunAsync();
    }

    [Fact]
    public async Task The_same_file_not_generated_is_reported_by_every_rule()
    {
        var reported = new List<string>();
        foreach (var analyzer in AllRules.Analyzers)
        {
            reported.AddRange((await RunAnalyzersAsync(Compile(EveryViolation, TestReferences.All), ImmutableArray.Create(analyzer), TypesFile)).Select(d => d.Id));
        }

        Assert.Equal(Descriptors.All.Select(d => d.Id).OrderBy(x => x), reported.Distinct().OrderBy(x => x));
    }

    /// <summary>Code as it is mid-typing: unbalanced, missing arguments, missing types, wrong arity.</summary>
    public static TheoryData<string> BrokenCode() => new()
    {
        "using AgentBridge; class A { void M(WebSocketConnectionManager m, UserExecutionContext c) { m.SendToUserAsync(c.UserId, ",
        "using AgentBridge; class A { void M(WebSocketConnectionManager m) { m.SendToUserAsync( } }",
        "using AgentBridge; class A { object M(WebSocketConnectionManager m) => new AgentWebSocketBridge(",
        "using AgentBridge; class A { object M(WebSocketConnectionManager m) => new AgentWebSocketBridge(m, ); }",
        "using AgentBridge; class A { object M() => new AgentWebSocketBridge(); }",
        "using AgentBridge; class A { object M(IAgentWebSocketBridgeFactory f) => f.Create(null!, 1, 2); }",
        "using AgentBridge; class A { object M(IAgentWebSocketBridgeFactory f) => f.Create(; }",
        "using AgentBridge; class A { static AgentWebSocketBridge ",
        "using AgentBridge; class A { static Lazy<AgentWebSocketBridge> _x = ",
        "using AgentBridge; using Microsoft.Extensions.DependencyInjection; class A { void M(IServiceCollection s) { s.AddSingleton<AgentWebSocketBridge>( } }",
        "using AgentBridge; using Microsoft.Extensions.DependencyInjection; class A { void M(IServiceCollection s) { s.AddSingleton(typeof(AgentWebSocketBridge), ); } }",
        "using AgentBridge; using Microsoft.Extensions.DependencyInjection; class A { void M(IServiceCollection s) { s.AddSingleton<>(); s.AddSingleton(typeof()); } }",
        "using AgentBridge; class A { void M(AgentRegistry r, WebSocketConnectionManager m) { r.SetWebSocketManager(m, null, 3); r.SetWebSocketManagerAsync( } }",
        "using AgentBridge; class { void M(WebSocketConnectionManager m, AgentWebSocketBridge b) { m.BroadcastAsync(null!); b.EmitAsync(",
        "using AgentBridge; partial class A : { A(WebSocketConnectionManager m) : this( { new AgentWebSocketBridge(m, UserExecutionContext.Create(\"u\", \"t\")); } }",
        "using AgentBridge; record R(WebSocketConnectionManager M) { object X => new AgentWebSocketBridge(M, ",
        "using AgentBridge; var m = new WebSocketConnectionManager(); await m.SendToUserAsync(ctx.UserId, new AgentEvent(\"x\")); new AgentWebSocketBridge(m",
        "using AgentBridge; class A { UndefinedFactory _f; void M(UserExecutionContext c, WebSocketConnectionManager m) { _ = new AgentWebSocketBridge(m, c); m.SendToUserAsync(c.UserId, evt); } }",
        "using AgentBridge; class A { void M(dynamic m, UserExecutionContext c) { m.SendToUserAsync(c.UserId, null); new AgentWebSocketBridge(m); } }",
        "using AgentBridge; class A { async void M(AgentWebSocketBridge b) { await b.BeginRunAsync( } }",
        "using AgentBridge; class A { async void M(AgentWebSocketBridge b) { var run = await b.BeginRunAsync(\"x\"); run. } }",
        "using AgentBridge; class A { async void M(AgentWebSocketBridge b) { await using var run = await b.BeginRunAsync; } }",
        "using AgentBridge; class A { async void M(AgentWebSocketBridge b) { await b.EmitAgentStartedAsync(\"a\"); try { x } catch ( { await b.EmitAgentCompletedAsync( } }",
        "using AgentBridge; class A { async void M(AgentWebSocketBridge b) { await b.EmitAgentStartedAsync(\"a\"); goto missing; } }",
        "using AgentBridge; _ = (await new AgentWebSocketBridge(null!).BeginRunAsync(\"x\")).; await b.EmitAgentStartedAsync(",
        "using AgentBridge; using Microsoft.AspNetCore.Http; class A { object M(HttpContext h) => UserExecutionContext.Create(h.Request.Query[ }",
        "using AgentBridge; using Microsoft.AspNetCore.Http; class A { object M(HttpContext h) { var u = u; return UserExecutionContext.Create(u, \"t\"); } }",
        "using AgentBridge; using Microsoft.AspNetCore.Http; class A { object M(HttpRequest r) { string a = b, b = a; return UserExecutionContext.Create(a + r.Query, ); } }",
        "using AgentBridge; using Microsoft.AspNetCore.Mvc; class C : ControllerBase { public object M([FromQuery] string u) => UserExecutionContext.Create(u",
        "namespace AgentBridge { class WebSocketConnectionManager { void SendToUserAsync( } }",
        "class AgentWebSocketBridge { } class WebSocketConnectionManager { }",
        "",
        "}}}{{{ using AgentBridge;; ; new AgentWebSocketBridge",
    };

    [Theory]
    [MemberData(nameof(BrokenCode))]
    public async Task Analyzers_and_fixes_do_not_throw_on_code_that_is_typed_halfway(string source)
    {
        using var workspace = new AdhocWorkspace();
        var project = workspace.AddProject("Broken", LanguageNames.CSharp)
            .WithCompilationOptions(new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable))
            .WithParseOptions(ParseOptions)
            .AddMetadataReferences(TestReferences.All);
        var document = project.AddDocument("Broken.cs", source);
        project = document.Project.AddAdditionalDocument("AgentBridge.Types.txt", TypesFile + "\nsend M:\nemitter\n").Project;
        document = project.GetDocument(document.Id)!;
        var compilation = (await project.GetCompilationAsync())!;

        var diagnostics = await RunAnalyzersAsync(compilation, AllRules.Analyzers, TypesFile + "\nsend M:\nemitter\n");

        foreach (var diagnostic in diagnostics.Where(d => d.Id.StartsWith("AGB", StringComparison.Ordinal) && d.Location.IsInSource))
        {
            foreach (var fixer in AllRules.CodeFixes.Where(f => f.FixableDiagnosticIds.Contains(diagnostic.Id)))
            {
                var actions = new List<CodeAction>();
                var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None);
                await fixer.RegisterCodeFixesAsync(context);
                foreach (var action in actions)
                {
                    await action.GetOperationsAsync(CancellationToken.None);
                }
            }
        }
    }

    [Fact]
    public async Task Analyzers_do_not_throw_on_any_CSharp_file_of_this_repository()
    {
        var files = Directory.EnumerateFiles(AllRules.RepositoryRoot, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or ".git"))
            .ToList();
        Assert.NotEmpty(files);

        var analyzed = 0;
        foreach (var project in files.GroupBy(ProjectFolder))
        {
            foreach (var chunk in project.Chunk(40))
            {
                var trees = chunk.Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), ParseOptions, path: f)).ToList();
                var compilation = CSharpCompilation.Create(
                    "Corpus",
                    trees,
                    TestReferences.All,
                    new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
                await RunAnalyzersAsync(compilation, AllRules.Analyzers, typesFile: null);
                analyzed += trees.Count;
            }
        }

        output.WriteLine($"{analyzed} files analyzed");
        Assert.Equal(files.Count, analyzed);
    }

    private static string ProjectFolder(string file)
    {
        for (var directory = Path.GetDirectoryName(file); directory is not null && directory.Length >= AllRules.RepositoryRoot.Length; directory = Path.GetDirectoryName(directory))
        {
            if (Directory.EnumerateFiles(directory, "*.csproj").Any())
            {
                return directory;
            }
        }

        return AllRules.RepositoryRoot;
    }

    private static CSharpCompilation Compile(string source, IEnumerable<MetadataReference> references) =>
        CSharpCompilation.Create(
            "T",
            new[] { CSharpSyntaxTree.ParseText(source, ParseOptions, path: "/0/Agent.cs") },
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    private static AnalyzerOptions Options(string? typesFile) =>
        new(typesFile is null
            ? ImmutableArray<AdditionalText>.Empty
            : ImmutableArray.Create<AdditionalText>(new InMemoryText("/0/AgentBridge.Types.txt", typesFile)));

    private static async Task<ImmutableArray<Diagnostic>> RunAnalyzersAsync(Compilation compilation, ImmutableArray<DiagnosticAnalyzer> analyzers, string? typesFile)
    {
        var exceptions = new ConcurrentBag<string>();
        var options = new CompilationWithAnalyzersOptions(
            Options(typesFile),
            onAnalyzerException: (exception, analyzer, diagnostic) => exceptions.Add($"{analyzer.GetType().Name}: {exception}"),
            concurrentAnalysis: false,
            logAnalyzerExecutionTime: false);
        var diagnostics = await compilation.WithAnalyzers(analyzers, options).GetAnalyzerDiagnosticsAsync();

        Assert.Empty(exceptions);
        Assert.DoesNotContain(diagnostics, d => d.Id == "AD0001");
        return diagnostics;
    }

    private static async Task<AnalyzerTelemetryInfo> TelemetryAsync(string analyzerName, string source, IEnumerable<MetadataReference> references, string? typesFile)
    {
        var analyzer = AllRules.Analyzers.Single(a => a.GetType().Name == analyzerName);
        var withAnalyzers = Compile(source, references).WithAnalyzers(
            ImmutableArray.Create(analyzer),
            new CompilationWithAnalyzersOptions(Options(typesFile), null, concurrentAnalysis: false, logAnalyzerExecutionTime: true));
        await withAnalyzers.GetAnalyzerDiagnosticsAsync();
        return await withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None);
    }

    private sealed class InMemoryText(string path, string text) : AdditionalText
    {
        private readonly SourceText _text = SourceText.From(text);

        public override string Path => path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
    }
}
