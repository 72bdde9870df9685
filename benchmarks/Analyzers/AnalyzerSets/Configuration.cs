using System.Collections.Immutable;
using AgentBridge.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AgentBridge.Benchmarks.Analyzers.AnalyzerSets;

/// <summary>What runs on top of the compiler in one measurement.</summary>
public enum Configuration
{
    /// <summary>Compilation.GetDiagnostics(): the compiler's own time.</summary>
    NoAnalyzer,

    /// <summary>An analyzer registering the AGB analyzer's actions with empty callbacks (the driver's cost).</summary>
    EmptyAnalyzers,

    /// <summary>All AGB rules (AGB0001–AGB0008).</summary>
    AgentBridge,

    /// <summary>BannedApiAnalyzers banning the same members.</summary>
    BannedApi,
}

/// <summary>The analyzers of each <see cref="Configuration"/>, loaded once per process.</summary>
internal sealed class AnalyzerConfigurations
{
    private AnalyzerConfigurations()
    {
        AgentBridgeAssemblyPath = typeof(AgentBridgeAnalyzer).Assembly.Location;
        AgentBridgeRules = AnalyzerLoading.Load(AgentBridgeAssemblyPath);
        var ids = AgentBridgeRules.SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id).Distinct().Order(StringComparer.Ordinal).ToArray();
        if (!ids.SequenceEqual(Corpus.ExpectedDiagnostics.RuleIds))
        {
            throw new InvalidOperationException($"AgentBridge.Analyzers.dll loaded {AgentBridgeRules.Length} analyzers with ids [{string.Join(", ", ids)}], expected AGB0001–AGB0008.");
        }

        Empty = EmptyAnalyzers.Create();
        BannedApi = BannedApiPeer.Load();
        Options = new AnalyzerOptions(
        [
            new InMemoryAdditionalText("/corpus/" + BannedApiPeer.FileName, BannedApiPeer.BannedSymbolsText),
            new InMemoryAdditionalText("/corpus/" + Corpus.CorpusGenerator.TypesFileName, Corpus.CorpusGenerator.TypesFile),
        ]);
    }

    public static AnalyzerConfigurations Instance => LazyInstance.Value;

    private static readonly Lazy<AnalyzerConfigurations> LazyInstance = new(() => new AnalyzerConfigurations());

    public string AgentBridgeAssemblyPath { get; }

    public ImmutableArray<DiagnosticAnalyzer> AgentBridgeRules { get; }

    public ImmutableArray<DiagnosticAnalyzer> Empty { get; }

    public ImmutableArray<DiagnosticAnalyzer> BannedApi { get; }

    /// <summary>
    /// The same options for every configuration: BannedSymbols.txt (the peer reads it) and AgentBridge.Types.txt (the
    /// AGB rules read it), the additional files a project would hand the compiler.
    /// </summary>
    public AnalyzerOptions Options { get; }

    public ImmutableArray<DiagnosticAnalyzer> For(Configuration configuration) => configuration switch
    {
        Configuration.EmptyAnalyzers => Empty,
        Configuration.AgentBridge => AgentBridgeRules,
        Configuration.BannedApi => BannedApi,
        _ => [],
    };
}
