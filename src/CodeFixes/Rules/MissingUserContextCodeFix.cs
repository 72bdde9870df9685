using System.Collections.Generic;
using System.Collections.Immutable;
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
/// AGB0003: pass the <c>UserExecutionContext</c> in scope — one fix per candidate (a parameter, local, field or
/// property of that type, or <c>bridge.UserContext</c>), named after it. A construction is rewritten to
/// <c>factory.Create(context)</c> at the same time (the factory found or injected as AGB0004 does); where no
/// factory can be had, the context is passed to the constructor instead. No candidate, no fix.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MissingUserContextCodeFix))]
internal sealed class MissingUserContextCodeFix : AgentBridgeCodeFixProvider
{
    /// <summary>Every fix's key is this plus the candidate's name (<c>AGB0003:Pass:context</c>): stable, and Fix All passes the same one everywhere it exists.</summary>
    public const string EquivalenceKeyPrefix = "AGB0003:Pass:";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.MissingUserContext);

    protected override async Task<IReadOnlyList<FixOption>> GetFixOptionsAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var rewriter = await FactoryRewriter.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var site = rewriter is null ? null : FindSite(rewriter, diagnostic, cancellationToken);
        if (rewriter is null || site is null)
        {
            return System.Array.Empty<FixOption>();
        }

        return FindCandidates(rewriter, site.Value.Syntax)
            .Select(c => new FixOption($"Pass '{c.Display}'", EquivalenceKeyPrefix + c.Display))
            .ToList();
    }

    protected override async Task<Document?> FixDocumentAsync(Document document, ImmutableArray<Diagnostic> diagnostics, string? equivalenceKey, CancellationToken cancellationToken)
    {
        // Without a key (dotnet format started from a site without a fix), each site gets its first candidate.
        if (equivalenceKey is not null && !equivalenceKey.StartsWith(EquivalenceKeyPrefix, System.StringComparison.Ordinal))
        {
            return null;
        }

        var wanted = equivalenceKey?.Substring(EquivalenceKeyPrefix.Length);
        var rewriter = await FactoryRewriter.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        if (rewriter is null)
        {
            return null;
        }

        foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start))
        {
            var site = FindSite(rewriter, diagnostic, cancellationToken);
            if (site is null)
            {
                continue;
            }

            var candidate = FindCandidates(rewriter, site.Value.Syntax).FirstOrDefault(c => wanted is null || c.Display == wanted);
            if (candidate is null)
            {
                continue;
            }

            await FixOneAsync(rewriter, site.Value.Syntax, site.Value.Arguments, candidate, cancellationToken).ConfigureAwait(false);
        }

        return await rewriter.FinishAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task FixOneAsync(FactoryRewriter rewriter, ExpressionSyntax site, ImmutableArray<IArgumentOperation> arguments, ScopeValue candidate, CancellationToken cancellationToken)
    {
        var contextArgument = AgentBridgeTypes.FindArgument(arguments, rewriter.Types.UserContext);
        if (contextArgument is null)
        {
            return;
        }

        var nullable = contextArgument.Parameter!.NullableAnnotation == NullableAnnotation.Annotated;
        if (site is BaseObjectCreationExpressionSyntax)
        {
            var factory = await rewriter.GetFactoryAsync(site, cancellationToken).ConfigureAwait(false);
            if (factory is not null)
            {
                rewriter.Replace(site, FactoryRewriter.CreateCall(factory, Value(candidate, targetAcceptsNull: false)));
                return;
            }

            nullable = true;
        }

        var value = Value(candidate, nullable);
        if (Arguments.ExpressionOf(contextArgument) is { } existing)
        {
            rewriter.Replace(existing, value);
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

        var newArguments = SyntaxFactory.SeparatedList(argumentList.Arguments.Add(argument), separators);
        rewriter.Replace(argumentList, argumentList.WithArguments(newArguments));
    }

    private static ExpressionSyntax Value(ScopeValue candidate, bool targetAcceptsNull) =>
        candidate.MayBeNull && !targetAcceptsNull
            ? SyntaxFactory.PostfixUnaryExpression(SyntaxKind.SuppressNullableWarningExpression, candidate.Expression)
            : candidate.Expression;

    private static (ExpressionSyntax Syntax, ImmutableArray<IArgumentOperation> Arguments)? FindSite(FactoryRewriter rewriter, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var node = rewriter.Root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        foreach (var candidate in node.AncestorsAndSelf())
        {
            if (candidate is BaseObjectCreationExpressionSyntax creation)
            {
                if (creation.Initializer is null
                    && rewriter.Model.GetOperation(creation, cancellationToken) is IObjectCreationOperation operation
                    && SymbolEqualityComparer.Default.Equals(operation.Constructor?.ContainingType, rewriter.Types.Bridge))
                {
                    return (creation, operation.Arguments);
                }

                return null;
            }

            if (candidate is InvocationExpressionSyntax invocation)
            {
                if (rewriter.Model.GetOperation(invocation, cancellationToken) is IInvocationOperation operation
                    && (rewriter.Types.IsSetManager(operation.TargetMethod) || rewriter.Types.IsFactoryCreate(operation.TargetMethod)))
                {
                    return (invocation, operation.Arguments);
                }

                return null;
            }
        }

        return null;
    }

    /// <summary>The contexts in scope, then the <c>UserContext</c> of the bridges in scope (but not of the bridge being made here).</summary>
    private static List<ScopeValue> FindCandidates(FactoryRewriter rewriter, ExpressionSyntax site)
    {
        var model = rewriter.Model;
        var candidates = ScopeLookup.Find(model, site.SpanStart, rewriter.Types.IsUserContext);
        var assigned = AssignedSymbol(model, site);
        foreach (var bridge in ScopeLookup.Find(model, site.SpanStart, rewriter.Types.IsBridge))
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

    private static ISymbol? AssignedSymbol(SemanticModel model, ExpressionSyntax site)
    {
        var parent = site.Parent;
        while (parent is ParenthesizedExpressionSyntax or CastExpressionSyntax)
        {
            parent = parent.Parent;
        }

        return parent switch
        {
            AssignmentExpressionSyntax assignment => model.GetSymbolInfo(assignment.Left).Symbol,
            EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax declarator } => model.GetDeclaredSymbol(declarator),
            EqualsValueClauseSyntax { Parent: PropertyDeclarationSyntax property } => model.GetDeclaredSymbol(property),
            ArrowExpressionClauseSyntax { Parent: PropertyDeclarationSyntax property } => model.GetDeclaredSymbol(property),
            _ => null,
        };
    }
}
