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

namespace AgentBridge.CodeFixes.Rules;

/// <summary>
/// AGB0006: a run of <c>BeginRunAsync</c> that is discarded (<c>await bridge.BeginRunAsync(…);</c>, <c>_ = await …</c>)
/// becomes <c>await using var run = await bridge.BeginRunAsync(…);</c>; a run held in a local that is not disposed on
/// every path gets <c>await using</c> on its declaration. The run then ends — <c>agent_completed</c> — at the end of
/// its block, on every path. The analyzer marks the sites whose statement allows it; the second form of the rule
/// (<c>EmitAgentStartedAsync</c> without a completion) has no fix.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UnfinishedRunCodeFix)), Shared]
internal sealed class UnfinishedRunCodeFix : AgentBridgeCodeFixProvider
{
    public const string Key = "AGB0006:AwaitUsingRun";
    private const string RunName = "run";

    public override string EquivalenceKey => Key;

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.UnfinishedRun);

    protected override Task<IReadOnlyList<FixOffer>> GetOffersAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken) =>
        OfferWhenMarked(diagnostic, DiagnosticProperties.AwaitUsing, "End the run on every path with 'await using'");

    protected override async Task<Document?> FixAsync(Document document, ImmutableArray<Diagnostic> diagnostics, string? choice, CancellationToken cancellationToken)
    {
        var fix = await DocumentFix.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        if (fix is null)
        {
            return null;
        }

        foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start))
        {
            if (!diagnostic.Properties.ContainsKey(DiagnosticProperties.AwaitUsing))
            {
                continue;
            }

            var node = fix.Root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            var statement = node.AncestorsAndSelf().OfType<StatementSyntax>().FirstOrDefault();
            switch (statement)
            {
                case LocalDeclarationStatementSyntax declaration when declaration.UsingKeyword.IsKind(SyntaxKind.None):
                    fix.Replace(declaration, AwaitUsing(declaration));
                    break;
                case ExpressionStatementSyntax expression when RunOf(expression) is { } run:
                    var name = FreeName(fix.Model, expression, cancellationToken);
                    var declared = SyntaxFactory.LocalDeclarationStatement(
                        SyntaxFactory.VariableDeclaration(
                            SyntaxFactory.IdentifierName("var").WithTrailingTrivia(SyntaxFactory.Space),
                            SyntaxFactory.SingletonSeparatedList(
                                SyntaxFactory.VariableDeclarator(SyntaxFactory.Identifier(name).WithTrailingTrivia(SyntaxFactory.Space))
                                    .WithInitializer(SyntaxFactory.EqualsValueClause(
                                        SyntaxFactory.Token(SyntaxKind.EqualsToken).WithTrailingTrivia(SyntaxFactory.Space),
                                        run.WithoutTrivia())))));
                    fix.Replace(expression, AwaitUsing(declared.WithSemicolonToken(expression.SemicolonToken)));
                    break;
            }
        }

        return await fix.FinishAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The awaited run of <c>await bridge.BeginRunAsync(…);</c> or <c>_ = await …;</c>.</summary>
    private static AwaitExpressionSyntax? RunOf(ExpressionStatementSyntax statement) => statement.Expression switch
    {
        AwaitExpressionSyntax awaited => awaited,
        AssignmentExpressionSyntax { Left: IdentifierNameSyntax { Identifier.ValueText: "_" }, Right: AwaitExpressionSyntax awaited } => awaited,
        _ => null,
    };

    private static LocalDeclarationStatementSyntax AwaitUsing(LocalDeclarationStatementSyntax declaration)
    {
        var leading = declaration.GetLeadingTrivia();
        return declaration
            .WithoutLeadingTrivia()
            .WithAwaitKeyword(SyntaxFactory.Token(leading, SyntaxKind.AwaitKeyword, SyntaxTriviaList.Create(SyntaxFactory.Space)))
            .WithUsingKeyword(SyntaxFactory.Token(SyntaxTriviaList.Empty, SyntaxKind.UsingKeyword, SyntaxTriviaList.Create(SyntaxFactory.Space)));
    }

    /// <summary><c>run</c>, or <c>run2</c>, … when that name is taken in the statement's scope or declared in its member.</summary>
    private static string FreeName(SemanticModel model, SyntaxNode statement, CancellationToken cancellationToken)
    {
        var member = statement.Ancestors().FirstOrDefault(n => n is MemberDeclarationSyntax or CompilationUnitSyntax) ?? statement;
        var declared = new HashSet<string>(
            member.DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken) && t.Parent is VariableDeclaratorSyntax or SingleVariableDesignationSyntax or ParameterSyntax or ForEachStatementSyntax or LocalFunctionStatementSyntax)
                .Select(t => t.ValueText),
            System.StringComparer.Ordinal);
        for (var i = 1; ; i++)
        {
            var name = i == 1 ? RunName : RunName + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            cancellationToken.ThrowIfCancellationRequested();
            if (!declared.Contains(name) && model.LookupSymbols(statement.SpanStart, name: name).IsEmpty)
            {
                return name;
            }
        }
    }
}
