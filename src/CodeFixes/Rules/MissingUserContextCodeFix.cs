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
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AgentBridge.CodeFixes.Rules;

/// <summary>
/// AGB0003: pass the <c>UserExecutionContext</c> of the site's own scope — one fix per candidate (a local, a parameter,
/// an instance field or property of the containing type, or the <c>UserContext</c> of a bridge that is one of those),
/// titled after it, all under one equivalence key so Fix All gives each site its own first candidate. A construction is
/// rewritten to <c>factory.Create(context)</c> at the same time (the factory found or injected as AGB0004 does); where no
/// factory can be had, the context is passed to the constructor instead. No candidate, no fix: a context is never taken
/// from a static member or a shared bridge.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MissingUserContextCodeFix)), Shared]
internal sealed class MissingUserContextCodeFix : AgentBridgeCodeFixProvider
{
    public const string Key = "AGB0003:PassUserContext";

    public override string EquivalenceKey => Key;

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.MissingUserContext);

    protected override async Task<IReadOnlyList<FixOffer>> GetOffersAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (await SiteAsync(document, cancellationToken).ConfigureAwait(false) is not var (root, model, types) || FindSiteSyntax(root, diagnostic) is not { } site)
        {
            return System.Array.Empty<FixOffer>();
        }

        return FindCandidates(model, types, site, cancellationToken)
            .Select(candidate => new FixOffer($"Pass '{candidate.Display}'", candidate.Display))
            .ToList();
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
            var site = FindSite(fix, diagnostic, cancellationToken);
            if (site is null)
            {
                continue;
            }

            var candidates = FindCandidates(fix.Model, fix.Types, site.Value.Syntax, cancellationToken);
            var candidate = candidates.FirstOrDefault(c => c.Display == choice) ?? candidates.FirstOrDefault();
            if (candidate is not null)
            {
                await FixOneAsync(fix, site.Value.Syntax, site.Value.Arguments, candidate, cancellationToken).ConfigureAwait(false);
            }
        }

        return await fix.FinishAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task FixOneAsync(DocumentFix fix, ExpressionSyntax site, ImmutableArray<IArgumentOperation> arguments, ScopeValue candidate, CancellationToken cancellationToken)
    {
        var contextArgument = AgentBridgeTypes.FindArgument(arguments, fix.Types.UserContext);
        if (contextArgument?.Parameter is null)
        {
            return;
        }

        var nullable = contextArgument.Parameter.NullableAnnotation == NullableAnnotation.Annotated;
        if (site is BaseObjectCreationExpressionSyntax)
        {
            var factory = await fix.GetFactoryAsync(site, cancellationToken).ConfigureAwait(false);
            if (factory is not null)
            {
                fix.Replace(site, Arguments.Call(factory.WithoutTrivia(), "Create", Value(candidate, targetAcceptsNull: false)));
                return;
            }

            // No factory to be had here: the context goes to the constructor (AGB0004 then suggests the factory).
            nullable = true;
        }

        var value = Value(candidate, nullable);
        if (Arguments.ExpressionOf(contextArgument) is { } existing)
        {
            fix.Replace(existing, value);
            return;
        }

        var argumentList = site switch
        {
            InvocationExpressionSyntax invocation => invocation.ArgumentList,
            BaseObjectCreationExpressionSyntax creation => creation.ArgumentList,
            _ => null,
        };
        if (argumentList is null)
        {
            return;
        }

        var argument = SyntaxFactory.Argument(value);
        if (argumentList.Arguments.Any(a => a.NameColon is not null))
        {
            argument = argument.WithNameColon(SyntaxFactory.NameColon(contextArgument.Parameter.Name));
        }

        var separators = argumentList.Arguments.GetSeparators().ToList();
        if (argumentList.Arguments.Count > 0)
        {
            separators.Add(SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(SyntaxFactory.Space));
        }

        fix.Replace(argumentList, argumentList.WithArguments(SyntaxFactory.SeparatedList(argumentList.Arguments.Add(argument), separators)));
    }

    private static ExpressionSyntax Value(ScopeValue candidate, bool targetAcceptsNull) =>
        candidate.MayBeNull && !targetAcceptsNull
            ? SyntaxFactory.PostfixUnaryExpression(SyntaxKind.SuppressNullableWarningExpression, candidate.Expression)
            : candidate.Expression;

    /// <summary>The construction or call the diagnostic is on, by syntax alone.</summary>
    private static ExpressionSyntax? FindSiteSyntax(SyntaxNode root, Diagnostic diagnostic)
    {
        var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        foreach (var candidate in node.AncestorsAndSelf())
        {
            switch (candidate)
            {
                case BaseObjectCreationExpressionSyntax creation:
                    return creation.Initializer is null ? creation : null;
                case InvocationExpressionSyntax invocation:
                    return invocation;
            }
        }

        return null;
    }

    private static (ExpressionSyntax Syntax, ImmutableArray<IArgumentOperation> Arguments)? FindSite(DocumentFix fix, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        switch (FindSiteSyntax(fix.Root, diagnostic))
        {
            case BaseObjectCreationExpressionSyntax creation
                when fix.Model.GetOperation(creation, cancellationToken) is IObjectCreationOperation operation
                && SymbolEqualityComparer.Default.Equals(operation.Constructor?.ContainingType, fix.Types.Bridge):
                return (creation, operation.Arguments);
            case InvocationExpressionSyntax invocation
                when fix.Model.GetOperation(invocation, cancellationToken) is IInvocationOperation operation
                && (fix.Types.IsSetManager(operation.TargetMethod) || fix.Types.IsFactoryCreate(operation.TargetMethod)):
                return (invocation, operation.Arguments);
            default:
                return null;
        }
    }

    /// <summary>The contexts of the site's scope, then the <c>UserContext</c> of its bridges (not of the bridge being made here).</summary>
    private static List<ScopeValue> FindCandidates(SemanticModel model, AgentBridgeTypes types, ExpressionSyntax site, CancellationToken cancellationToken)
    {
        var candidates = ScopeLookup.Find(model, site.SpanStart, types.IsUserContext, cancellationToken);
        var assigned = AssignedSymbol(model, site, cancellationToken);
        foreach (var bridge in ScopeLookup.Find(model, site.SpanStart, types.IsBridge, cancellationToken))
        {
            if (SymbolEqualityComparer.Default.Equals(bridge.Symbol, assigned))
            {
                continue;
            }

            var access = SyntaxFactory.MemberAccessExpression(
                SyntaxKind.SimpleMemberAccessExpression,
                bridge.MayBeNull
                    ? SyntaxFactory.PostfixUnaryExpression(SyntaxKind.SuppressNullableWarningExpression, bridge.Expression)
                    : bridge.Expression,
                SyntaxFactory.IdentifierName("UserContext"));
            candidates.Add(new ScopeValue(bridge.Symbol, bridge.Display + ".UserContext", access, mayBeNull: true));
        }

        return candidates;
    }

    private static ISymbol? AssignedSymbol(SemanticModel model, ExpressionSyntax site, CancellationToken cancellationToken)
    {
        var parent = site.Parent;
        while (parent is ParenthesizedExpressionSyntax or CastExpressionSyntax or PostfixUnaryExpressionSyntax or BinaryExpressionSyntax { RawKind: (int)SyntaxKind.CoalesceExpression })
        {
            parent = parent.Parent;
        }

        return parent switch
        {
            AssignmentExpressionSyntax assignment => model.GetSymbolInfo(assignment.Left, cancellationToken).Symbol,
            EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax declarator } => model.GetDeclaredSymbol(declarator, cancellationToken),
            EqualsValueClauseSyntax { Parent: PropertyDeclarationSyntax property } => model.GetDeclaredSymbol(property, cancellationToken),
            ArrowExpressionClauseSyntax { Parent: PropertyDeclarationSyntax property } => model.GetDeclaredSymbol(property, cancellationToken),
            _ => null,
        };
    }
}
