using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AgentBridge.Analyzers;
using AgentBridge.CodeFixes.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace AgentBridge.CodeFixes.Rules;

/// <summary>
/// AGB0004: <c>new AgentWebSocketBridge(manager, context)</c> → <c>factory.Create(context)</c>, with a factory in
/// scope or one injected through the containing class's constructor.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(DirectBridgeConstructionCodeFix)), Shared]
internal sealed class DirectBridgeConstructionCodeFix : AgentBridgeCodeFixProvider
{
    public const string Key = "AGB0004:UseFactory";

    public override string EquivalenceKey => Key;

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.DirectBridgeConstruction);

    protected override async Task<IReadOnlyList<FixOffer>> GetOffersAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (await SiteAsync(document, cancellationToken).ConfigureAwait(false) is not var (root, model, types)
            || BridgeCreations.FindSyntax(root, diagnostic) is not { } creation
            || !FactoryInjection.IsPossible(model, creation.SpanStart, types, cancellationToken))
        {
            return System.Array.Empty<FixOffer>();
        }

        return new[] { new FixOffer("Create the bridge with IAgentWebSocketBridgeFactory") };
    }

    protected override async Task<Document?> FixAsync(Document document, ImmutableArray<Diagnostic> diagnostics, string? choice, CancellationToken cancellationToken)
    {
        var fix = await DocumentFix.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        if (fix is null)
        {
            return null;
        }

        foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start))
        {
            var creation = BridgeCreations.Find(fix, diagnostic, cancellationToken);
            if (creation is null
                || Arguments.ExpressionOf(AgentBridgeTypes.FindArgument(creation.Value.Operation.Arguments, fix.Types.UserContext)) is not { } context)
            {
                continue;
            }

            var factory = await fix.GetFactoryAsync(creation.Value.Syntax, cancellationToken).ConfigureAwait(false);
            if (factory is not null)
            {
                fix.Replace(creation.Value.Syntax, Arguments.Call(factory.WithoutTrivia(), "Create", context.WithoutTrivia()));
            }
        }

        return await fix.FinishAsync(cancellationToken).ConfigureAwait(false);
    }
}
