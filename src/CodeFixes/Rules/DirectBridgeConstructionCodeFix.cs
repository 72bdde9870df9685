using System.Collections.Generic;
using System.Collections.Immutable;
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
[ExportCodeFixProvider(Microsoft.CodeAnalysis.LanguageNames.CSharp, Name = nameof(DirectBridgeConstructionCodeFix))]
internal sealed class DirectBridgeConstructionCodeFix : AgentBridgeCodeFixProvider
{
    public const string EquivalenceKey = "AGB0004:UseFactory";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.DirectBridgeConstruction);

    protected override Task<IReadOnlyList<FixOption>> GetFixOptionsAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<FixOption>>(new[] { new FixOption("Create the bridge with IAgentWebSocketBridgeFactory", EquivalenceKey) });

    protected override async Task<Document?> FixDocumentAsync(Document document, ImmutableArray<Diagnostic> diagnostics, string? equivalenceKey, CancellationToken cancellationToken)
    {
        if (equivalenceKey is not null && equivalenceKey != EquivalenceKey)
        {
            return null;
        }

        var rewriter = await FactoryRewriter.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        if (rewriter is null)
        {
            return null;
        }

        foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start))
        {
            var creation = BridgeCreations.Find(rewriter, diagnostic);
            if (creation is null)
            {
                continue;
            }

            var context = AgentBridgeTypes.FindArgument(creation.Value.Operation.Arguments, rewriter.Types.UserContext);
            if (Arguments.ExpressionOf(context) is not { } contextExpression)
            {
                continue;
            }

            var factory = await rewriter.GetFactoryAsync(creation.Value.Syntax, cancellationToken).ConfigureAwait(false);
            if (factory is null)
            {
                continue;
            }

            rewriter.Replace(creation.Value.Syntax, FactoryRewriter.CreateCall(factory, contextExpression));
        }

        return await rewriter.FinishAsync(cancellationToken).ConfigureAwait(false);
    }
}
