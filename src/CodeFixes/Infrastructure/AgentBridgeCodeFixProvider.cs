using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using AgentBridge.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace AgentBridge.CodeFixes.Infrastructure;

/// <summary>One fix offered for a diagnostic: its title, and the candidate it uses (<see langword="null"/>: the site's best).</summary>
internal readonly struct FixOffer
{
    public FixOffer(string title, string? choice = null)
    {
        Title = title;
        Choice = choice;
    }

    public string Title { get; }

    public string? Choice { get; }
}

/// <summary>
/// The shape every AgentBridge fix shares. The lightbulb stays fast: <see cref="GetOffersAsync"/> decides from the site
/// (the diagnostic's properties, its syntax, a look at what is in scope) whether a fix applies and names it; the new
/// document is computed only when the action is invoked. One equivalence key per rule (per kind of fix), so Fix All and
/// <c>dotnet format analyzers</c> fix every fixable site whichever site they start from, each with its own best
/// candidate; a fix rewrites a document for a set of diagnostics at once, so fixes that interact (one injected
/// constructor parameter for several sites) are planned together. That no fix produces code that fails to compile is
/// the tests' guarantee: every fix test compiles its result.
/// </summary>
internal abstract class AgentBridgeCodeFixProvider : CodeFixProvider
{
    /// <summary>The one key of this rule's fixes.</summary>
    public abstract string EquivalenceKey { get; }

    /// <remarks>
    /// The key is <see langword="null"/> when the Fix All was started from a diagnostic without a fix of its own —
    /// <c>dotnet format</c> takes the first diagnostic of an id — and then every fixable site still gets its fix.
    /// </remarks>
    public sealed override FixAllProvider GetFixAllProvider() =>
        FixAllProvider.Create(async (context, document, diagnostics) =>
            string.IsNullOrEmpty(context.CodeActionEquivalenceKey) || context.CodeActionEquivalenceKey == EquivalenceKey
                ? await FixAsync(document, diagnostics, choice: null, context.CancellationToken).ConfigureAwait(false)
                : null);

    public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            var offers = await GetOffersAsync(context.Document, diagnostic, context.CancellationToken).ConfigureAwait(false);
            foreach (var offer in offers)
            {
                var document = context.Document;
                var choice = offer.Choice;
                context.RegisterCodeFix(
                    CodeAction.Create(
                        offer.Title,
                        async cancellationToken => await FixAsync(document, ImmutableArray.Create(diagnostic), choice, cancellationToken).ConfigureAwait(false) ?? document,
                        EquivalenceKey),
                    diagnostic);
            }
        }
    }

    /// <summary>The fixes offered for <paramref name="diagnostic"/>, decided cheaply: nothing here builds a new document.</summary>
    protected abstract Task<IReadOnlyList<FixOffer>> GetOffersAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken);

    /// <summary>
    /// Fixes every diagnostic of <paramref name="diagnostics"/> that has a safe rewrite (each with its best candidate, or
    /// <paramref name="choice"/> where it names one), or returns <see langword="null"/> when none could be fixed.
    /// </summary>
    protected abstract Task<Document?> FixAsync(Document document, ImmutableArray<Diagnostic> diagnostics, string? choice, CancellationToken cancellationToken);

    /// <summary>One fix when the analyzer marked the site fixable (<paramref name="property"/> in the diagnostic's properties).</summary>
    protected static Task<IReadOnlyList<FixOffer>> OfferWhenMarked(Diagnostic diagnostic, string property, string title) =>
        Task.FromResult<IReadOnlyList<FixOffer>>(diagnostic.Properties.ContainsKey(property) ? new[] { new FixOffer(title) } : System.Array.Empty<FixOffer>());

    /// <summary>What deciding at the site needs: the document's (already parsed and bound) tree and model, and the AgentBridge types.</summary>
    protected static async Task<(SyntaxNode Root, SemanticModel Model, AgentBridgeTypes Types)?> SiteAsync(Document document, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        var types = model is null ? null : AgentBridgeTypes.TryCreate(model.Compilation);
        return root is null || model is null || types is null ? null : (root, model, types);
    }
}
