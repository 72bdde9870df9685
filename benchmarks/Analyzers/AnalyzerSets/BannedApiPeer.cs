using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace AgentBridge.Benchmarks.Analyzers.AnalyzerSets;

/// <summary>
/// The peer: Microsoft.CodeAnalysis.BannedApiAnalyzers 3.3.4 (RS0030) with a BannedSymbols.txt banning the members
/// AGB0001, AGB0003 and AGB0004 report: the three manager send methods, the bridge constructor, and the team's own
/// send that the corpus's AgentBridge.Types.txt lists.
/// </summary>
internal static class BannedApiPeer
{
    /// <summary>Exact documentation-comment ids; each is checked to resolve to one symbol of the corpus compilation.</summary>
    public static readonly ImmutableArray<string> BannedDeclarationIds =
    [
        "M:AgentBridge.WebSocketConnectionManager.SendToUserAsync(System.String,AgentBridge.AgentEvent,System.Threading.CancellationToken)",
        "M:AgentBridge.WebSocketConnectionManager.SendToConnectionAsync(System.String,AgentBridge.AgentEvent,System.Threading.CancellationToken)",
        "M:AgentBridge.WebSocketConnectionManager.BroadcastAsync(AgentBridge.AgentEvent,System.Threading.CancellationToken)",
        "M:AgentBridge.AgentWebSocketBridge.#ctor(AgentBridge.WebSocketConnectionManager,AgentBridge.UserExecutionContext)",
        "M:Contoso.AgentPlatform.Common.SocketHub.PushAsync(System.String,System.Object)",
    ];

    public const string FileName = "BannedSymbols.txt";

    public static string BannedSymbolsText =>
        string.Join("\n", BannedDeclarationIds.Select(id => id + ";Emit through a per-user bridge from IAgentWebSocketBridgeFactory")) + "\n";

    /// <summary>The folder the project copies the package's analyzer DLLs to (analyzers/dotnet/cs).</summary>
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "PeerAnalyzers", "BannedApi");

    public static ImmutableArray<DiagnosticAnalyzer> Load()
    {
        var analyzers = AnalyzerLoading.Load(
            Path.Combine(Directory, "Microsoft.CodeAnalysis.BannedApiAnalyzers.dll"),
            Path.Combine(Directory, "Microsoft.CodeAnalysis.CSharp.BannedApiAnalyzers.dll"));
        if (!analyzers.Any(a => a.SupportedDiagnostics.Any(d => d.Id == Corpus.ExpectedDiagnostics.BannedApiId)))
        {
            throw new InvalidOperationException("BannedApiAnalyzers loaded, but no analyzer supports RS0030.");
        }

        return analyzers;
    }

    /// <summary>Throws unless every banned id names exactly one symbol in <paramref name="compilation"/>.</summary>
    public static void CheckIdsResolve(Compilation compilation)
    {
        foreach (var id in BannedDeclarationIds)
        {
            var symbols = DocumentationCommentId.GetSymbolsForDeclarationId(id, compilation);
            if (symbols.Length != 1)
            {
                throw new InvalidOperationException($"Banned id {id} resolves to {symbols.Length} symbols, not 1: the runtime's API changed.");
            }
        }
    }
}

/// <summary>An additional file held in memory (what MSBuild's AdditionalFiles item hands the compiler).</summary>
internal sealed class InMemoryAdditionalText(string path, string text) : AdditionalText
{
    private readonly SourceText _text = SourceText.From(text);

    public override string Path => path;

    public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
}
