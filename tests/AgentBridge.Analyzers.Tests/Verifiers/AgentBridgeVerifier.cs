using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace AgentBridge.Analyzers.Tests.Verifiers;

/// <summary>
/// Runs <see cref="AgentBridgeAnalyzer"/> for one rule, <typeparamref name="TRule"/> (the other rules' diagnostics are
/// disabled), and the rule's code fix over C# sources with markup <c>{|AGB0001:...|}</c>, nullable enabled, against the
/// offline references of <see cref="TestReferences"/>. A fix test checks the single fix and Fix All in document, project
/// and solution scope (the harness runs each and compares it to the fixed code, which it compiles: no errors), then
/// that the fixed code has no compiler warning the original did not have.
/// </summary>
internal static class AgentBridgeVerifier<TRule, TCodeFix>
    where TRule : IRule
    where TCodeFix : CodeFixProvider, new()
{
    public static Task VerifyAnalyzerAsync(string source, OutputKind outputKind = OutputKind.DynamicallyLinkedLibrary)
    {
        var test = new Test { TestCode = source, FixedCode = source };
        test.TestState.OutputKind = outputKind;
        return test.RunAsync();
    }

    public static async Task VerifyFixAsync(string source, string fixedSource, OutputKind outputKind = OutputKind.DynamicallyLinkedLibrary)
    {
        var test = new Test { TestCode = source, FixedCode = fixedSource };
        test.TestState.OutputKind = outputKind;
        test.FixedState.OutputKind = outputKind;
        await test.RunAsync();
        CompilerWarnings.AssertNoNew([source], [fixedSource], outputKind);
    }

    /// <summary>Several files of one project fixed together.</summary>
    public static async Task VerifyFixAsync(string[] sources, string[] fixedSources)
    {
        var test = new Test();
        for (var i = 0; i < sources.Length; i++)
        {
            test.TestState.Sources.Add(($"/0/Test{i}.cs", sources[i]));
            test.FixedState.Sources.Add(($"/0/Test{i}.cs", fixedSources[i]));
        }

        await test.RunAsync();
        CompilerWarnings.AssertNoNew(sources, fixedSources, OutputKind.DynamicallyLinkedLibrary);
    }

    /// <summary>
    /// Two projects, the second referencing the first: Fix All in solution scope (and the single fixes, one after the
    /// other) must fix both. (Fix All in project scope is checked by the one-project tests: here it would leave the other
    /// project as it is, which the harness compares with the same fixed state.)
    /// </summary>
    public static async Task VerifyFixInTwoProjectsAsync(string first, string firstFixed, string second, string secondFixed)
    {
        var test = new Test { TestCode = first, FixedCode = firstFixed };
        foreach (var (state, source) in new[] { (test.TestState, second), (test.FixedState, secondFixed) })
        {
            var project = state.AdditionalProjects["Second"];
            project.Sources.Add(("/Second/Test.cs", source));
            project.AdditionalProjectReferences.Add("TestProject");
            project.AdditionalReferences.AddRange(TestReferences.All);
        }

        test.CodeFixTestBehaviors |= CodeFixTestBehaviors.SkipFixAllInProjectCheck;
        await test.RunAsync();
        CompilerWarnings.AssertNoNew([first], [firstFixed], OutputKind.DynamicallyLinkedLibrary);
        CompilerWarnings.AssertNoNew([second], [secondFixed], OutputKind.DynamicallyLinkedLibrary);
    }

    /// <summary>The fix at <paramref name="codeActionIndex"/> among the diagnostic's fixes (one per candidate, one key).</summary>
    public static async Task VerifyFixAsync(string source, string fixedSource, int codeActionIndex, string title)
    {
        var test = new Test
        {
            TestCode = source,
            FixedCode = fixedSource,
            CodeActionIndex = codeActionIndex,
            CodeActionVerifier = (action, verifier) => verifier.Equal(title, action.Title),

            // The other candidates are not what Fix All applies: each site gets its first.
            CodeFixTestBehaviors = CodeFixTestBehaviors.SkipFixAllCheck,
        };
        await test.RunAsync();
        CompilerWarnings.AssertNoNew([source], [fixedSource], OutputKind.DynamicallyLinkedLibrary);
    }

    /// <summary>No fix is offered: the code stays as it is.</summary>
    public static Task VerifyNoFixAsync(string source, OutputKind outputKind = OutputKind.DynamicallyLinkedLibrary)
    {
        var test = new Test { TestCode = source, FixedCode = source };
        test.TestState.OutputKind = outputKind;
        test.FixedState.OutputKind = outputKind;
        return test.RunAsync();
    }

    /// <summary>The source with AgentBridge types files among its additional files.</summary>
    public static Task VerifyAnalyzerAsync(string source, params (string Path, string Text)[] additionalFiles)
    {
        var test = new Test { TestCode = source, FixedCode = source };
        foreach (var file in additionalFiles)
        {
            test.TestState.AdditionalFiles.Add(file);
            test.FixedState.AdditionalFiles.Add(file);
        }

        return test.RunAsync();
    }

    /// <summary>A code-fix test with the AgentBridge references and nullable enabled.</summary>
    public sealed class Test : CSharpCodeFixTest<AgentBridgeAnalyzer, TCodeFix, DefaultVerifier>
    {
        public Test()
        {
            if (TRule.Id != Rule.Every.Id)
            {
                DisabledDiagnostics.AddRange(Descriptors.All.Select(d => d.Id).Where(id => id != TRule.Id));
            }

            ReferenceAssemblies = TestReferences.Offline;
            TestState.AdditionalReferences.AddRange(TestReferences.All);
            SolutionTransforms.Add((solution, _) =>
            {
                foreach (var project in solution.Projects.ToList())
                {
                    var options = (CSharpCompilationOptions)project.CompilationOptions!;
                    solution = solution.WithProjectCompilationOptions(project.Id, options.WithNullableContextOptions(NullableContextOptions.Enable));
                }

                return solution;
            });
        }

        protected override ParseOptions CreateParseOptions() =>
            ((CSharpParseOptions)base.CreateParseOptions()).WithLanguageVersion(LanguageVersion.Latest);
    }
}

/// <summary>Runs one rule that has no code fix.</summary>
internal static class AgentBridgeVerifier<TRule>
    where TRule : IRule
{
    public static Task VerifyAnalyzerAsync(string source, OutputKind outputKind = OutputKind.DynamicallyLinkedLibrary) =>
        AgentBridgeVerifier<TRule, EmptyCodeFixProvider>.VerifyAnalyzerAsync(source, outputKind);

    public static Task VerifyAnalyzerAsync(string source, params (string Path, string Text)[] additionalFiles) =>
        AgentBridgeVerifier<TRule, EmptyCodeFixProvider>.VerifyAnalyzerAsync(source, additionalFiles);

    public static Task VerifyAnalyzerAsync(string[] sources)
    {
        var test = new AgentBridgeVerifier<TRule, EmptyCodeFixProvider>.Test();
        foreach (var (source, index) in sources.Select((s, i) => (s, i)))
        {
            test.TestState.Sources.Add(($"/0/Test{index}.cs", source));
        }

        return test.RunAsync();
    }
}
