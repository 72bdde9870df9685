using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace AgentBridge.Analyzers.Tests.Verifiers;

/// <summary>
/// Runs one rule (and its code fix) over C# sources with markup <c>{|AGB0001:...|}</c>, nullable enabled,
/// against the offline references of <see cref="TestReferences"/>.
/// </summary>
internal static class AgentBridgeVerifier<TAnalyzer, TCodeFix>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    public static Task VerifyAnalyzerAsync(string source, OutputKind outputKind = OutputKind.DynamicallyLinkedLibrary)
    {
        var test = new Test { TestCode = source, FixedCode = source };
        test.TestState.OutputKind = outputKind;
        return test.RunAsync();
    }

    public static Task VerifyFixAsync(string source, string fixedSource, OutputKind outputKind = OutputKind.DynamicallyLinkedLibrary)
    {
        var test = new Test { TestCode = source, FixedCode = fixedSource };
        test.TestState.OutputKind = outputKind;
        test.FixedState.OutputKind = outputKind;
        return test.RunAsync();
    }

    /// <summary>Several files fixed together (Fix All in project/solution scope is checked by the harness).</summary>
    public static Task VerifyFixAsync(string[] sources, string[] fixedSources, string? equivalenceKey = null)
    {
        var test = new Test { CodeActionEquivalenceKey = equivalenceKey };
        for (var i = 0; i < sources.Length; i++)
        {
            test.TestState.Sources.Add(($"/0/Test{i}.cs", sources[i]));
            test.FixedState.Sources.Add(($"/0/Test{i}.cs", fixedSources[i]));
        }

        return test.RunAsync();
    }

    /// <summary>The fix chosen by its equivalence key (several fixes for one diagnostic).</summary>
    public static Task VerifyFixAsync(string source, string fixedSource, string equivalenceKey, int codeActionIndex)
    {
        var test = new Test
        {
            TestCode = source,
            FixedCode = fixedSource,
            CodeActionEquivalenceKey = equivalenceKey,
            CodeActionIndex = codeActionIndex,
        };
        return test.RunAsync();
    }

    /// <summary>No fix is offered: the code stays as it is.</summary>
    public static Task VerifyNoFixAsync(string source, OutputKind outputKind = OutputKind.DynamicallyLinkedLibrary) =>
        VerifyFixAsync(source, source, outputKind);

    /// <summary>A code-fix test with the AgentBridge references and nullable enabled.</summary>
    public sealed class Test : CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
    {
        public Test()
        {
            ReferenceAssemblies = TestReferences.Offline;
            TestState.AdditionalReferences.AddRange(TestReferences.All);
            SolutionTransforms.Add((solution, projectId) =>
            {
                var project = solution.GetProject(projectId)!;
                var options = (CSharpCompilationOptions)project.CompilationOptions!;
                return solution.WithProjectCompilationOptions(projectId, options.WithNullableContextOptions(NullableContextOptions.Enable));
            });
        }

        protected override ParseOptions CreateParseOptions() =>
            ((CSharpParseOptions)base.CreateParseOptions()).WithLanguageVersion(LanguageVersion.Latest);
    }
}

/// <summary>Runs one rule that has no code fix.</summary>
internal static class AgentBridgeVerifier<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    public static Task VerifyAnalyzerAsync(string source, OutputKind outputKind = OutputKind.DynamicallyLinkedLibrary) =>
        AgentBridgeVerifier<TAnalyzer, EmptyCodeFixProvider>.VerifyAnalyzerAsync(source, outputKind);

    public static Task VerifyAnalyzerAsync(string[] sources)
    {
        var test = new AgentBridgeVerifier<TAnalyzer, EmptyCodeFixProvider>.Test();
        foreach (var (source, index) in sources.Select((s, i) => (s, i)))
        {
            test.TestState.Sources.Add(($"/0/Test{index}.cs", source));
        }

        return test.RunAsync();
    }
}
