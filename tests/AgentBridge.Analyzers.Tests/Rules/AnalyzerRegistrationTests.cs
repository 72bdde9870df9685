using System.Collections.Immutable;
using AgentBridge.Analyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Diagnostics.Telemetry;

namespace AgentBridge.Analyzers.Tests.Rules;

/// <summary>What the analyzers register: nothing without the runtime, never a compilation-end action.</summary>
public class AnalyzerRegistrationTests
{
    private const string Source = """
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

    public static TheoryData<string> AnalyzerNames()
    {
        var data = new TheoryData<string>();
        foreach (var analyzer in AllRules.Analyzers)
        {
            data.Add(analyzer.GetType().Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AnalyzerNames))]
    public async Task Without_the_runtime_referenced_only_the_compilation_start_action_is_registered(string name)
    {
        var telemetry = await TelemetryAsync(name, Basic.Reference.Assemblies.Net100.References.All);

        Assert.Equal(1, telemetry.CompilationStartActionsCount);
        Assert.Equal(0, telemetry.OperationActionsCount);
        Assert.Equal(0, telemetry.SymbolActionsCount);
        Assert.Equal(0, telemetry.SymbolStartActionsCount);
        Assert.Equal(0, telemetry.SyntaxNodeActionsCount);
    }

    [Theory]
    [MemberData(nameof(AnalyzerNames))]
    public async Task With_the_runtime_referenced_actions_are_registered_but_never_at_compilation_end(string name)
    {
        var telemetry = await TelemetryAsync(name, TestReferences.All);

        Assert.True(telemetry.OperationActionsCount + telemetry.SymbolActionsCount + telemetry.SymbolStartActionsCount > 0);
        Assert.Equal(0, telemetry.CompilationEndActionsCount);
        Assert.Equal(0, telemetry.CompilationActionsCount);
        Assert.Equal(0, telemetry.SemanticModelActionsCount);
        Assert.Equal(0, telemetry.SyntaxTreeActionsCount);
    }

    private static async Task<AnalyzerTelemetryInfo> TelemetryAsync(string analyzerName, IEnumerable<MetadataReference> references)
    {
        var analyzer = AllRules.Analyzers.Single(a => a.GetType().Name == analyzerName);
        var compilation = CSharpCompilation.Create(
            "NoRuntime",
            new[] { CSharpSyntaxTree.ParseText(Source) },
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var withAnalyzers = compilation.WithAnalyzers(
            ImmutableArray.Create(analyzer),
            new CompilationWithAnalyzersOptions(new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), null, concurrentAnalysis: false, logAnalyzerExecutionTime: true));
        var diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync();
        Assert.Empty(diagnostics);
        return await withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None);
    }
}
