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
/// AGB0001: <c>manager.SendToUserAsync(context.UserId, evt, ct)</c> → <c>factory.Create(context).EmitAsync(evt, ct)</c>
/// (factory in scope or injected as AGB0004 does), or <c>bridge.EmitAsync(evt, ct)</c> when the user id is
/// <c>bridge.UserContext.UserId</c>. Only <c>SendToUserAsync</c> with a context's <c>UserId</c> has a safe rewrite;
/// connection sends and broadcasts have no per-user equivalent and get no fix.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(DirectManagerSendCodeFix))]
internal sealed class DirectManagerSendCodeFix : AgentBridgeCodeFixProvider
{
    public const string EquivalenceKey = "AGB0001:EmitThroughBridge";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.DirectManagerSend);

    protected override Task<IReadOnlyList<FixOption>> GetFixOptionsAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        IReadOnlyList<FixOption> options = diagnostic.Properties.TryGetValue(DiagnosticProperties.MemberName, out var member) && member == "SendToUserAsync"
            ? new[] { new FixOption("Emit through the user's bridge", EquivalenceKey) }
            : System.Array.Empty<FixOption>();
        return Task.FromResult(options);
    }

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
            await FixOneAsync(rewriter, diagnostic, cancellationToken).ConfigureAwait(false);
        }

        return await rewriter.FinishAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task FixOneAsync(FactoryRewriter rewriter, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var node = rewriter.Root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        var invocation = node.AncestorsAndSelf().OfType<InvocationExpressionSyntax>().FirstOrDefault();
        if (invocation is null
            || rewriter.Model.GetOperation(invocation, cancellationToken) is not IInvocationOperation operation
            || operation.TargetMethod.Name != "SendToUserAsync"
            || !rewriter.Types.IsManagerSend(operation.TargetMethod))
        {
            return;
        }

        var userId = operation.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == 0);
        var agentEvent = operation.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == 1);
        var token = operation.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == 2);
        if (Arguments.ExpressionOf(userId) is not { } userIdExpression || Arguments.ExpressionOf(agentEvent) is not { } eventExpression)
        {
            return;
        }

        // The user id must be 'context.UserId' (or 'context!.UserId') of a UserExecutionContext.
        if (userIdExpression is not MemberAccessExpressionSyntax { Name.Identifier.ValueText: "UserId" } userIdAccess
            || rewriter.Model.GetSymbolInfo(userIdAccess, cancellationToken).Symbol is not IPropertySymbol userIdProperty
            || !rewriter.Types.IsUserContext(userIdProperty.ContainingType))
        {
            return;
        }

        var contextExpression = userIdAccess.Expression;

        // The whole 'manager?.SendToUserAsync(...)' is replaced, not just its '.SendToUserAsync(...)'.
        SyntaxNode target = invocation;
        if (invocation.Parent is ConditionalAccessExpressionSyntax conditional && conditional.WhenNotNull == invocation)
        {
            target = conditional;
        }
        else if (invocation.Expression is not (MemberAccessExpressionSyntax or IdentifierNameSyntax))
        {
            return;
        }

        ExpressionSyntax bridge;
        var unwrapped = contextExpression is PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.SuppressNullableWarningExpression } suppressed
            ? suppressed.Operand
            : contextExpression;
        if (unwrapped is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "UserContext" } userContextAccess
            && rewriter.Model.GetSymbolInfo(userContextAccess, cancellationToken).Symbol is IPropertySymbol userContextProperty
            && rewriter.Types.IsBridge(userContextProperty.ContainingType))
        {
            // 'bridge.UserContext.UserId': that bridge already emits for that user.
            bridge = userContextAccess.Expression.WithoutTrivia();
        }
        else
        {
            var factory = await rewriter.GetFactoryAsync(invocation, cancellationToken).ConfigureAwait(false);
            if (factory is null)
            {
                return;
            }

            bridge = FactoryRewriter.CreateCall(factory, contextExpression);
        }

        var arguments = new List<ArgumentSyntax> { SyntaxFactory.Argument(eventExpression.WithoutTrivia()) };
        if (Arguments.ExpressionOf(token) is { } tokenExpression)
        {
            arguments.Add(SyntaxFactory.Argument(tokenExpression.WithoutTrivia()));
        }

        var emit = SyntaxFactory.InvocationExpression(
            SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, bridge, SyntaxFactory.IdentifierName("EmitAsync")),
            SyntaxFactory.ArgumentList(SyntaxFactory.SeparatedList(
                arguments,
                Enumerable.Repeat(SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(SyntaxFactory.Space), arguments.Count - 1))));
        rewriter.Replace(target, emit);
    }
}
