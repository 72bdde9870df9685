using AgentBridge.Benchmarks.Analyzers.AnalyzerSets;
using AgentBridge.Benchmarks.Analyzers.Compiling;
using BenchmarkDotNet.Attributes;

namespace AgentBridge.Benchmarks.Analyzers.Measuring;

/// <summary>
/// One operation = a fresh compilation of the corpus and all its diagnostics, under each configuration. Each
/// GlobalSetup compiles its configuration once and throws unless the diagnostics are exactly the planted ones.
/// </summary>
public class CompileBenchmarks
{
    /// <summary>Set by Program before the run (the in-process toolchain shares this process's statics).</summary>
    public static int FileCount { get; set; } = Corpus.CorpusGenerator.DefaultFileCount;

    /// <summary>Set by Program before the run, with <see cref="FileCount"/>.</summary>
    public static Corpus.CorpusShape Shape { get; set; } = Corpus.CorpusShape.Sparse;

    private CompileRunner _runner = null!;

    [GlobalSetup(Target = nameof(NoAnalyzer))]
    public void SetupNoAnalyzer() => Setup(Configuration.NoAnalyzer);

    [GlobalSetup(Target = nameof(EmptyAnalyzers))]
    public void SetupEmptyAnalyzers() => Setup(Configuration.EmptyAnalyzers);

    [GlobalSetup(Target = nameof(AgentBridgeRules))]
    public void SetupAgentBridgeRules() => Setup(Configuration.AgentBridge);

    [GlobalSetup(Target = nameof(BannedApiAnalyzers))]
    public void SetupBannedApiAnalyzers() => Setup(Configuration.BannedApi);

    [Benchmark(Baseline = true)]
    public int NoAnalyzer() => _runner.Run(Configuration.NoAnalyzer).Length;

    [Benchmark]
    public int EmptyAnalyzers() => _runner.Run(Configuration.EmptyAnalyzers).Length;

    [Benchmark]
    public int AgentBridgeRules() => _runner.Run(Configuration.AgentBridge).Length;

    [Benchmark]
    public int BannedApiAnalyzers() => _runner.Run(Configuration.BannedApi).Length;

    private void Setup(Configuration configuration)
    {
        _runner = CompileRunner.For(Shape, FileCount);
        Console.WriteLine("// GlobalSetup check: " + _runner.Validate(configuration, _runner.Run(configuration)));
    }
}
