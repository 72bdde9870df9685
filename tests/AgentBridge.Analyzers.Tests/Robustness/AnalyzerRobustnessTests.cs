using System.Collections.Concurrent;
using System.Collections.Immutable;
using AgentBridge.Analyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit.Abstractions;

namespace AgentBridge.Analyzers.Tests.Robustness;

/// <summary>The analyzers never throw (no AD0001), and the fixes never throw, on broken and on real code.</summary>
public class AnalyzerRobustnessTests(ITestOutputHelper output)
{
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

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
        var compilation = (await document.Project.GetCompilationAsync())!;

        var diagnostics = await RunAnalyzersAsync(compilation);

        foreach (var diagnostic in diagnostics.Where(d => d.Id.StartsWith("AGB", StringComparison.Ordinal)))
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
                await RunAnalyzersAsync(compilation);
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

    private static async Task<ImmutableArray<Diagnostic>> RunAnalyzersAsync(Compilation compilation)
    {
        var exceptions = new ConcurrentBag<string>();
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
            onAnalyzerException: (exception, analyzer, diagnostic) => exceptions.Add($"{analyzer.GetType().Name}: {exception}"),
            concurrentAnalysis: false,
            logAnalyzerExecutionTime: false);
        var diagnostics = await compilation.WithAnalyzers(AllRules.Analyzers, options).GetAnalyzerDiagnosticsAsync();

        Assert.Empty(exceptions);
        Assert.DoesNotContain(diagnostics, d => d.Id == "AD0001");
        return diagnostics;
    }
}
