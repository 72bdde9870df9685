using System.Collections.Immutable;
using AgentBridge.Analyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AgentBridge.Analyzers.Tests.Fixes;

/// <summary>
/// <c>dotnet format analyzers</c> starts Fix All from the first diagnostic of an id and uses the equivalence key of
/// that diagnostic's first fix — none when that site has no fix (a static bridge, a send without a context). The
/// other sites must still be fixed, each with its default fix.
/// </summary>
public class FixAllWithoutEquivalenceKeyTests
{
    [Fact]
    public async Task Registrations_are_fixed_even_when_the_first_AGB0002_is_a_static_bridge()
    {
        var fixedText = await FixAllAsync(
            new AgentBridge.Analyzers.Rules.SingletonBridgeAnalyzer(),
            new AgentBridge.CodeFixes.Rules.SingletonBridgeCodeFix(),
            """
            using AgentBridge;
            using Microsoft.Extensions.DependencyInjection;

            static class Startup
            {
                static AgentWebSocketBridge? _shared;

                public static void Configure(IServiceCollection services) => services.AddSingleton<AgentWebSocketBridge>();
            }
            """);

        Assert.Contains("static AgentWebSocketBridge? _shared;", fixedText, StringComparison.Ordinal);
        Assert.Contains("services.AddAgentBridge();", fixedText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_AGB0003_site_gets_its_first_candidate_when_the_first_site_has_none()
    {
        var fixedText = await FixAllAsync(
            new AgentBridge.Analyzers.Rules.MissingUserContextAnalyzer(),
            new AgentBridge.CodeFixes.Rules.MissingUserContextCodeFix(),
            """
            using AgentBridge;

            class Wiring
            {
                static void NoContext(AgentRegistry registry, WebSocketConnectionManager manager) => registry.SetWebSocketManager(manager);

                void A(AgentRegistry registry, WebSocketConnectionManager manager, UserExecutionContext first, UserExecutionContext second) =>
                    registry.SetWebSocketManager(manager);

                void B(AgentRegistry registry, WebSocketConnectionManager manager, UserExecutionContext other) =>
                    registry.SetWebSocketManager(manager);
            }
            """);

        Assert.Contains("=> registry.SetWebSocketManager(manager);", fixedText, StringComparison.Ordinal);
        Assert.Contains("registry.SetWebSocketManager(manager, first);", fixedText, StringComparison.Ordinal);
        Assert.Contains("registry.SetWebSocketManager(manager, other);", fixedText, StringComparison.Ordinal);
    }

    private static async Task<string> FixAllAsync(DiagnosticAnalyzer analyzer, CodeFixProvider fixer, string source)
    {
        using var workspace = new AdhocWorkspace();
        var document = workspace.AddProject("P", LanguageNames.CSharp)
            .WithCompilationOptions(new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable))
            .AddMetadataReferences(TestReferences.All)
            .AddDocument("Test.cs", source);
        var compilation = (await document.Project.GetCompilationAsync())!;
        var diagnostics = await compilation.WithAnalyzers(ImmutableArray.Create(analyzer)).GetAnalyzerDiagnosticsAsync();
        Assert.True(diagnostics.Length >= 2);

        // As dotnet format does: the first diagnostic's first action, if any, gives the key.
        var first = diagnostics.OrderBy(d => d.Location.SourceSpan.Start).First();
        CodeAction? action = null;
        await fixer.RegisterCodeFixesAsync(new CodeFixContext(document, first, (a, _) => action ??= a, CancellationToken.None));
        Assert.Null(action);

        var context = new FixAllContext(
            document,
            fixer,
            FixAllScope.Solution,
            action?.EquivalenceKey!,
            diagnostics.Select(d => d.Id).Distinct(),
            new Provider(diagnostics),
            CancellationToken.None);
        var fixAll = await fixer.GetFixAllProvider()!.GetFixAsync(context);
        Assert.NotNull(fixAll);
        var operation = (await fixAll.GetOperationsAsync(CancellationToken.None)).OfType<ApplyChangesOperation>().Single();
        var changed = operation.ChangedSolution.GetDocument(document.Id)!;
        return (await changed.GetTextAsync()).ToString();
    }

    private sealed class Provider(ImmutableArray<Diagnostic> diagnostics) : FixAllContext.DiagnosticProvider
    {
        public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            Task.FromResult<IEnumerable<Diagnostic>>(diagnostics);

        public override Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken) =>
            Task.FromResult<IEnumerable<Diagnostic>>(diagnostics);

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            Task.FromResult(Enumerable.Empty<Diagnostic>());
    }
}
