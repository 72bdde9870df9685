using AgentBridge.Analyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis.Testing;

namespace AgentBridge.Analyzers.Tests.Rules;

/// <summary>Cases every rule shares: generated files by name, await using.</summary>
public class GeneratedAndEdgeCaseTests
{
    private const string EveryViolation = """
        using System.Threading.Tasks;
        using AgentBridge;
        using Microsoft.Extensions.DependencyInjection;

        class Generated
        {
            static AgentWebSocketBridge? _shared;

            async Task Run(WebSocketConnectionManager m, AgentWebSocketBridge b, UserExecutionContext c, AgentRegistry r, IServiceCollection s)
            {
                await m.SendToUserAsync(c.UserId, new AgentEvent("x"));
                await b.EmitAsync(new AgentEvent("x"));
                _ = new AgentWebSocketBridge(m);
                _ = new AgentWebSocketBridge(m, c);
                r.SetWebSocketManager(m);
                s.AddSingleton<AgentWebSocketBridge>();
            }
        }
        """;

    [Fact]
    public async Task A_file_named_g_cs_is_not_analyzed_by_any_rule()
    {
        foreach (var analyzer in AllRules.Analyzers)
        {
            var test = (AnalyzerTest<DefaultVerifier>)Activator.CreateInstance(
                typeof(AgentBridgeVerifier<,>.Test).MakeGenericType(analyzer.GetType(), typeof(EmptyCodeFixProvider)))!;
            test.TestState.Sources.Add(("/0/Agent.g.cs", EveryViolation));
            await test.RunAsync();
        }
    }

    [Fact]
    public async Task The_same_file_not_generated_is_reported_by_every_rule()
    {
        var reported = new List<string>();
        foreach (var analyzer in AllRules.Analyzers)
        {
            var compilation = Microsoft.CodeAnalysis.CSharp.CSharpCompilation.Create(
                "T",
                new[] { Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(EveryViolation, path: "/0/Agent.cs") },
                TestReferences.All,
                new Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions(Microsoft.CodeAnalysis.OutputKind.DynamicallyLinkedLibrary));
            var diagnostics = await Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzerExtensions
                .WithAnalyzers(compilation, System.Collections.Immutable.ImmutableArray.Create(analyzer))
                .GetAnalyzerDiagnosticsAsync();
            reported.AddRange(diagnostics.Select(d => d.Id));
        }

        Assert.Equal(new[] { "AGB0001", "AGB0002", "AGB0003", "AGB0004", "AGB0005" }, reported.Distinct().OrderBy(x => x));
    }

    [Fact]
    public Task Await_using_a_run_of_a_bridge_without_context_is_reported() =>
        AgentBridgeVerifier<AgentBridge.Analyzers.Rules.MissingUserContextAnalyzer>.VerifyAnalyzerAsync("""
            using System.Threading.Tasks;
            using AgentBridge;

            class Agent
            {
                async Task Run(WebSocketConnectionManager m)
                {
                    await using var run = await {|AGB0003:new AgentWebSocketBridge(m)|}.BeginRunAsync("agent");
                }
            }
            """);
}
