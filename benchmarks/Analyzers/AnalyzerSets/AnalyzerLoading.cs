using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AgentBridge.Benchmarks.Analyzers.AnalyzerSets;

/// <summary>
/// Loads analyzers from their DLLs the way a compiler host does (<see cref="AnalyzerFileReference"/>), so a load
/// failure under this process's Roslyn (newer than the one the analyzers were built against) fails the run loudly.
/// </summary>
internal static class AnalyzerLoading
{
    public static ImmutableArray<DiagnosticAnalyzer> Load(params string[] paths)
    {
        var loader = new LoadFromLoader();
        foreach (var path in paths)
        {
            loader.AddDependencyLocation(path);
        }

        var analyzers = ImmutableArray.CreateBuilder<DiagnosticAnalyzer>();
        foreach (var path in paths)
        {
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"Analyzer assembly {path} is missing; build the benchmark project first.", path);
            }

            var failures = new List<string>();
            var reference = new AnalyzerFileReference(path, loader);
            reference.AnalyzerLoadFailed += (_, e) => failures.Add($"{e.ErrorCode} {e.TypeName}: {e.Message} {e.Exception}");
            var loaded = reference.GetAnalyzers(LanguageNames.CSharp);
            if (failures.Count > 0)
            {
                throw new InvalidOperationException($"{Path.GetFileName(path)} failed to load on Roslyn {RoslynVersion}:\n" + string.Join("\n", failures));
            }

            analyzers.AddRange(loaded);
        }

        return analyzers.ToImmutable();
    }

    /// <summary>The Roslyn this process runs the analyzers on.</summary>
    public static string RoslynVersion => typeof(Compilation).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(Compilation).Assembly.GetName().Version?.ToString() ?? "?";

    /// <summary>The Microsoft.CodeAnalysis version an analyzer assembly was compiled against.</summary>
    public static string CompiledAgainst(Assembly assembly) =>
        assembly.GetReferencedAssemblies().FirstOrDefault(a => a.Name == "Microsoft.CodeAnalysis")?.Version?.ToString() ?? "?";

    private sealed class LoadFromLoader : IAnalyzerAssemblyLoader
    {
        public void AddDependencyLocation(string fullPath)
        {
        }

        // LoadFrom resolves an analyzer's own dependencies from its folder; Microsoft.CodeAnalysis resolves to the
        // (newer) one already loaded here, as it does in csc and in the IDE.
        public Assembly LoadFromPath(string fullPath) => Assembly.LoadFrom(fullPath);
    }
}
