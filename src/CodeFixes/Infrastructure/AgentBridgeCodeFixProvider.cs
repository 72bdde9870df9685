using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace AgentBridge.CodeFixes.Infrastructure;

/// <summary>One way to fix a diagnostic: its title and its (stable) equivalence key.</summary>
internal readonly struct FixOption
{
    public FixOption(string title, string equivalenceKey)
    {
        Title = title;
        EquivalenceKey = equivalenceKey;
    }

    public string Title { get; }

    public string EquivalenceKey { get; }
}

/// <summary>
/// The shape every AgentBridge fix shares: a fix rewrites a document for a set of diagnostics (one for a
/// single fix, all of a document's for Fix All, so fixes that interact — one injected constructor parameter
/// for several sites — are planned together). A single fix is offered only after it was computed and the
/// document it produces has no more compiler errors than before: no fix rather than a wrong one.
/// </summary>
internal abstract class AgentBridgeCodeFixProvider : CodeFixProvider
{
    /// <remarks>
    /// The equivalence key is <see langword="null"/> when the Fix All was started from a diagnostic that has no fix
    /// of its own — <c>dotnet format</c> takes the first diagnostic of an id — and then every fixable site gets its
    /// default fix.
    /// </remarks>
    public sealed override FixAllProvider GetFixAllProvider() =>
        FixAllProvider.Create(
            (context, document, diagnostics) => FixDocumentAsync(
                document,
                diagnostics,
                string.IsNullOrEmpty(context.CodeActionEquivalenceKey) ? null : context.CodeActionEquivalenceKey,
                context.CancellationToken));

    public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            var options = await GetFixOptionsAsync(context.Document, diagnostic, context.CancellationToken).ConfigureAwait(false);
            foreach (var option in options)
            {
                var fixedDocument = await FixDocumentAsync(context.Document, ImmutableArray.Create(diagnostic), option.EquivalenceKey, context.CancellationToken).ConfigureAwait(false);
                if (fixedDocument is null || !await CompilesAsWellAsync(context.Document, fixedDocument, context.CancellationToken).ConfigureAwait(false))
                {
                    continue;
                }

                context.RegisterCodeFix(
                    CodeAction.Create(option.Title, _ => Task.FromResult(fixedDocument), option.EquivalenceKey),
                    diagnostic);
            }
        }
    }

    /// <summary>The fixes that may apply to <paramref name="diagnostic"/>; each is then computed and checked.</summary>
    protected abstract Task<IReadOnlyList<FixOption>> GetFixOptionsAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken);

    /// <summary>
    /// Fixes every diagnostic of <paramref name="diagnostics"/> that <paramref name="equivalenceKey"/> applies to
    /// (each its default fix when the key is <see langword="null"/>), or returns <see langword="null"/> when none could be fixed.
    /// </summary>
    protected abstract Task<Document?> FixDocumentAsync(Document document, ImmutableArray<Diagnostic> diagnostics, string? equivalenceKey, CancellationToken cancellationToken);

    private static async Task<bool> CompilesAsWellAsync(Document before, Document after, CancellationToken cancellationToken)
    {
        var beforeModel = await before.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        var afterModel = await after.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (beforeModel is null || afterModel is null)
        {
            return false;
        }

        return CountErrors(afterModel, cancellationToken) <= CountErrors(beforeModel, cancellationToken);
    }

    private static int CountErrors(SemanticModel model, CancellationToken cancellationToken) =>
        model.GetDiagnostics(cancellationToken: cancellationToken).Count(d => d.Severity == DiagnosticSeverity.Error);
}
