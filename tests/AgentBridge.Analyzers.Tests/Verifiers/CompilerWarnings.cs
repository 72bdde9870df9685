using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis.Text;

namespace AgentBridge.Analyzers.Tests.Verifiers;

/// <summary>
/// A fix must not add compiler diagnostics: the harness fails on a new error; this fails on a new warning (a nullable
/// one, an unused variable) — per id, the fixed code has at most as many as the code before.
/// </summary>
internal static class CompilerWarnings
{
    public static void AssertNoNew(string[] sources, string[] fixedSources, OutputKind outputKind)
    {
        var before = Count(sources, outputKind);
        var after = Count(fixedSources, outputKind);
        var added = after.Where(p => p.Value > before.GetValueOrDefault(p.Key)).Select(p => $"{p.Key} ×{p.Value - before.GetValueOrDefault(p.Key)}").ToList();
        Assert.True(added.Count == 0, "The fix added compiler diagnostics: " + string.Join(", ", added));
    }

    public static Dictionary<string, int> Count(IEnumerable<string> sources, OutputKind outputKind)
    {
        var trees = sources.Select((source, i) =>
        {
            TestFileMarkupParser.GetSpans(source, out var text, out System.Collections.Immutable.ImmutableDictionary<string, System.Collections.Immutable.ImmutableArray<TextSpan>> _);
            return CSharpSyntaxTree.ParseText(text, new CSharpParseOptions(LanguageVersion.Latest), path: $"/0/Test{i}.cs");
        });
        var compilation = CSharpCompilation.Create(
            "Check",
            trees,
            TestReferences.All,
            new CSharpCompilationOptions(outputKind, nullableContextOptions: NullableContextOptions.Enable));
        return compilation.GetDiagnostics()
            .Where(d => d.Severity >= DiagnosticSeverity.Warning)
            .GroupBy(d => d.Id)
            .ToDictionary(g => g.Key, g => g.Count());
    }
}
