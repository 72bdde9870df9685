using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Text;
using AgentBridge.Benchmarks.Analyzers.AnalyzerSets;
using AgentBridge.Benchmarks.Analyzers.Corpus;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AgentBridge.Benchmarks.Analyzers.Compiling;

/// <summary>One measured operation per <see cref="Configuration"/>, and the checks that it measured something.</summary>
internal sealed class CompileRunner
{
    private static readonly ConcurrentDictionary<(CorpusShape Shape, int Files), CompileRunner> Cache = new();

    private readonly ConcurrentQueue<string> _analyzerExceptions = new();

    private CompileRunner(CorpusShape shape, int fileCount)
    {
        Corpus = new CorpusCompilation(shape == CorpusShape.Dense ? CorpusGenerator.GenerateDense(fileCount) : CorpusGenerator.Generate(fileCount));
        Analyzers = AnalyzerConfigurations.Instance;
    }

    public CorpusCompilation Corpus { get; }

    public AnalyzerConfigurations Analyzers { get; }

    public ExpectedDiagnostics Expected => Corpus.Corpus.Expected;

    /// <summary>The runner for a corpus of that shape and <paramref name="fileCount"/> files, generated and parsed once per process.</summary>
    public static CompileRunner For(CorpusShape shape, int fileCount) => Cache.GetOrAdd((shape, fileCount), key => new CompileRunner(key.Shape, key.Files));

    /// <summary>
    /// The measured operation: a new compilation of the corpus, then every diagnostic — the compiler's alone, or the
    /// compiler's and the analyzers' through <see cref="CompilationWithAnalyzers.GetAllDiagnosticsAsync(CancellationToken)"/>.
    /// </summary>
    public ImmutableArray<Diagnostic> Run(Configuration configuration)
    {
        var compilation = Corpus.Create();
        if (configuration == Configuration.NoAnalyzer)
        {
            return compilation.GetDiagnostics();
        }

        return WithAnalyzers(compilation, configuration, logTime: false).GetAllDiagnosticsAsync().GetAwaiter().GetResult();
    }

    /// <summary>The same compilation with the analyzers' execution times logged (for the per-analyzer profile).</summary>
    public CompilationWithAnalyzers CreateWithTelemetry(Configuration configuration) =>
        WithAnalyzers(Corpus.Create(), configuration, logTime: true);

    private CompilationWithAnalyzers WithAnalyzers(Compilation compilation, Configuration configuration, bool logTime) =>
        compilation.WithAnalyzers(
            Analyzers.For(configuration),
            new CompilationWithAnalyzersOptions(
                Analyzers.Options,
                onAnalyzerException: (exception, analyzer, _) => _analyzerExceptions.Enqueue($"{analyzer.GetType().Name}: {exception}"),
                concurrentAnalysis: false,
                logAnalyzerExecutionTime: logTime,
                reportSuppressedDiagnostics: false));

    /// <summary>
    /// Throws unless the diagnostics are exactly what the corpus plants for this configuration: no compiler error, no
    /// analyzer exception, every AGB count (AGB configuration) or the RS0030 count (BannedApi) as expected, and no
    /// analyzer diagnostic at all for the others. A benchmark that measures nothing cannot pass this.
    /// </summary>
    public string Validate(Configuration configuration, ImmutableArray<Diagnostic> diagnostics)
    {
        var problems = new List<string>();
        while (_analyzerExceptions.TryDequeue(out var exception))
        {
            problems.Add("analyzer exception: " + exception);
        }

        var errors = diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error && !d.Id.StartsWith("AGB", StringComparison.Ordinal)).ToList();
        foreach (var error in errors.Take(10))
        {
            problems.Add("compiler error: " + error);
        }

        var byId = diagnostics.GroupBy(d => d.Id).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        int Count(string id) => byId.TryGetValue(id, out var n) ? n : 0;

        foreach (var ad in new[] { "AD0001", "AD0002" })
        {
            if (Count(ad) > 0)
            {
                problems.Add($"{Count(ad)} × {ad}: an analyzer threw");
            }
        }

        var agb = ExpectedDiagnostics.RuleIds.ToDictionary(id => id, Count);
        var banned = Count(ExpectedDiagnostics.BannedApiId);
        var otherRs = byId.Where(p => p.Key.StartsWith("RS", StringComparison.Ordinal) && p.Key != ExpectedDiagnostics.BannedApiId).Sum(p => p.Value);
        switch (configuration)
        {
            case Configuration.AgentBridge:
                foreach (var id in ExpectedDiagnostics.RuleIds.Where(id => agb[id] != Expected[id]))
                {
                    // The first few, to find the planted (or unplanted) site quickly.
                    var first = diagnostics.Where(d => d.Id == id).Take(3).Select(d => d.ToString());
                    problems.Add($"{id}: {agb[id]} reported, {Expected[id]} expected; e.g. {string.Join(" | ", first)}");
                }

                break;
            case Configuration.BannedApi:
                if (banned != Expected.BannedApi)
                {
                    problems.Add($"{ExpectedDiagnostics.BannedApiId}: {banned} reported, {Expected.BannedApi} expected");
                }

                if (otherRs > 0)
                {
                    problems.Add($"{otherRs} other RS diagnostics (a bad BannedSymbols.txt line?)");
                }

                break;
        }

        if (configuration != Configuration.AgentBridge && agb.Values.Sum() > 0)
        {
            problems.Add($"{agb.Values.Sum()} AGB diagnostics in the {configuration} configuration");
        }

        if (configuration != Configuration.BannedApi && banned + otherRs > 0)
        {
            problems.Add($"{banned + otherRs} RS diagnostics in the {configuration} configuration");
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException($"{configuration} on the {Corpus.Corpus.Shape} corpus of {Corpus.Corpus.Files.Count} files: the diagnostics are not the expected ones " +
                $"({Expected}):\n  " + string.Join("\n  ", problems));
        }

        var warnings = diagnostics.Count(d => d.Severity == DiagnosticSeverity.Warning && d.Id.StartsWith("CS", StringComparison.Ordinal));
        var summary = new StringBuilder($"{configuration}: ok");
        if (configuration == Configuration.AgentBridge)
        {
            summary.Append(": ").AppendJoin(", ", agb.Select(p => $"{p.Key}={p.Value}"));
        }
        else if (configuration == Configuration.BannedApi)
        {
            summary.Append(": RS0030=").Append(banned);
        }

        return summary.Append($" (compiler warnings: {warnings})").ToString();
    }
}
