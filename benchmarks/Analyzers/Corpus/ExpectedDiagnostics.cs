using System.Collections.Immutable;
using System.Globalization;
using System.Text;

namespace AgentBridge.Benchmarks.Analyzers.Corpus;

/// <summary>
/// How many diagnostics the corpus must produce: per AGB rule, and for the banned-API peer (RS0030). Counted by the
/// generator as it plants each violation, never by running an analyzer.
/// </summary>
internal sealed class ExpectedDiagnostics
{
    public const string BannedApiId = "RS0030";

    public static readonly ImmutableArray<string> RuleIds = ["AGB0001", "AGB0002", "AGB0003", "AGB0004", "AGB0005", "AGB0006", "AGB0007", "AGB0008"];

    private readonly Dictionary<string, int> _counts = RuleIds.ToDictionary(id => id, _ => 0, StringComparer.Ordinal);

    /// <summary>Uses of a banned member (manager send methods, the bridge constructor): what BannedApiAnalyzers reports.</summary>
    public int BannedApi { get; private set; }

    public int AgentBridgeTotal => _counts.Values.Sum();

    public int this[string ruleId] => _counts[ruleId];

    public void Add(string ruleId, int count = 1) => _counts[ruleId] += count;

    public void AddBannedApi(int count = 1) => BannedApi += count;

    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var id in RuleIds)
        {
            text.Append(CultureInfo.InvariantCulture, $"{id}={_counts[id]} ");
        }

        return text.Append(CultureInfo.InvariantCulture, $"(AGB total {AgentBridgeTotal}), {BannedApiId}={BannedApi}").ToString();
    }
}
