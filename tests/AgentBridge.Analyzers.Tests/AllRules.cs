using System.Collections.Immutable;
using AgentBridge.CodeFixes.Rules;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AgentBridge.Analyzers.Tests;

/// <summary>Every analyzer and code fix the package ships, and the repository they live in.</summary>
internal static class AllRules
{
    public static ImmutableArray<DiagnosticAnalyzer> Analyzers { get; } = ImmutableArray.Create<DiagnosticAnalyzer>(new AgentBridgeAnalyzer());

    public static ImmutableArray<CodeFixProvider> CodeFixes { get; } = ImmutableArray.Create<CodeFixProvider>(
        new DirectManagerSendCodeFix(),
        new SingletonBridgeCodeFix(),
        new MissingUserContextCodeFix(),
        new DirectBridgeConstructionCodeFix(),
        new UnfinishedRunCodeFix(),
        new RequestUserIdCodeFix());

    /// <summary>The folder that holds AgentBridge.Analyzers.sln, found by walking up from the test's output.</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "AgentBridge.Analyzers.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("AgentBridge.Analyzers.sln not found above " + AppContext.BaseDirectory);
    }
}
