namespace AgentBridge.Benchmarks.Analyzers.Corpus;

/// <summary>The two corpora: a realistic backend with a few dozen violations, and one dense with direct sends.</summary>
public enum CorpusShape
{
    /// <summary>300 files of agents, tools, orchestrators, DI modules, domain code and legacy files (the default).</summary>
    Sparse,

    /// <summary>400 files of 12 manager sends each: 4,800 AGB0001 and RS0030 sites.</summary>
    Dense,
}
