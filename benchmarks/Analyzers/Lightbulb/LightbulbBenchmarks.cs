using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis.CodeActions;

namespace AgentBridge.Benchmarks.Analyzers.Lightbulb;

/// <summary>
/// Per rule, registering the fixes of one diagnostic (the lightbulb) against applying the fix (the user chose it), on
/// the ~2,000-line document of <see cref="LightbulbDocument"/>. Ratio = Register ÷ Apply; the target is ≤ 10 %.
/// </summary>
public class LightbulbBenchmarks
{
    private CodeAction _action = null!;

    [ParamsSource(nameof(Rules))]
    public string Rule { get; set; } = LightbulbDocument.RuleIds[0];

    public static IEnumerable<string> Rules => LightbulbDocument.RuleIds;

    [GlobalSetup]
    public void Setup()
    {
        LightbulbRunner.Instance.Warm();
        _action = LightbulbRunner.Instance.Register(Rule)[0];
    }

    [Benchmark(Baseline = true)]
    public int Apply() => LightbulbRunner.Instance.Apply(_action).Length;

    [Benchmark]
    public int Register() => LightbulbRunner.Instance.Register(Rule).Count;
}
