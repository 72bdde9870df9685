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
/// AGB0001: <c>manager.SendToUserAsync(context.UserId, evt, ct)</c> → <c>factory.Create(context).EmitAsync(evt, ct)</c>
/// (factory in scope or injected as AGB0004 does), or <c>bridge.EmitAsync(evt, ct)</c> when the user id is
/// <c>bridge.UserContext.UserId</c>. The analyzer tells which (<see cref="DiagnosticProperties.UserIdOf"/>); any other
/// user id, connection sends and broadcasts have no per-user equivalent and get no fix.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(DirectManagerSendCodeFix)), Shared]
internal sealed class DirectManagerSendCodeFix : AgentBridgeCodeFixProvider
{
    public const string Key = "AGB0001:EmitThroughBridge";

    public override string EquivalenceKey => Key;

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.DirectManagerSend);

    protected override async Task<IReadOnlyList<FixOffer>> GetOffersAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        diagnostic.Properties.TryGetValue(DiagnosticProperties.UserIdOf, out var userIdOf);
        if (userIdOf == DiagnosticProperties.UserIdOfBridge)
        {
            return new[] { new FixOffer("Emit through the bridge of that user") };
        }

        if (userIdOf != DiagnosticProperties.UserIdOfContext)
        {
            return System.Array.Empty<FixOffer>();
        }

        return await SiteAsync(document, cancellationToken).ConfigureAwait(false) is var (_, model, types)
            && FactoryInjection.IsPossible(model, diagnostic.Location.SourceSpan.Start, types, cancellationToken)
            ? new[] { new FixOffer("Emit through the user's bridge from IAgentWebSocketBridgeFactory") }
            : System.Array.Empty<FixOffer>();
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
            await FixOneAsync(fix, diagnostic, cancellationToken).ConfigureAwait(false);
        }

        return await fix.FinishAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task FixOneAsync(DocumentFix fix, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        diagnostic.Properties.TryGetValue(DiagnosticProperties.UserIdOf, out var userIdOf);
        var node = fix.Root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        var invocation = node.AncestorsAndSelf().OfType<InvocationExpressionSyntax>().FirstOrDefault();
        if (userIdOf is null
            || invocation is null
            || fix.Model.GetOperation(invocation, cancellationToken) is not IInvocationOperation operation
            || operation.TargetMethod.Name != "SendToUserAsync"
            || !fix.Types.IsManagerSend(operation.TargetMethod))
        {
            return;
        }

        var userId = Arguments.ExpressionOf(AgentBridgeTypes.FindArgument(operation.Arguments, 0));
        var agentEvent = Arguments.ExpressionOf(AgentBridgeTypes.FindArgument(operation.Arguments, 1));
        var token = Arguments.ExpressionOf(AgentBridgeTypes.FindArgument(operation.Arguments, 2));
        if (userId is not MemberAccessExpressionSyntax { Name.Identifier.ValueText: "UserId" } userIdAccess || agentEvent is null)
        {
            return;
        }

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
        var context = userIdAccess.Expression;
        if (userIdOf == DiagnosticProperties.UserIdOfBridge)
        {
            // 'bridge.UserContext.UserId' (or 'bridge.UserContext!.UserId'): that bridge already emits for that user.
            var unwrapped = context is PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.SuppressNullableWarningExpression } suppressed ? suppressed.Operand : context;
            if (unwrapped is not MemberAccessExpressionSyntax { Name.Identifier.ValueText: "UserContext" } userContext)
            {
                return;
            }

            bridge = userContext.Expression.WithoutTrivia();
        }
        else
        {
            var factory = await fix.GetFactoryAsync(invocation, cancellationToken).ConfigureAwait(false);
            if (factory is null)
            {
                return;
            }

            bridge = Arguments.Call(factory.WithoutTrivia(), "Create", context.WithoutTrivia());
        }

        var arguments = token is null
            ? new[] { agentEvent.WithoutTrivia() }
            : new[] { agentEvent.WithoutTrivia(), token.WithoutTrivia() };
        fix.Replace(target, Arguments.Call(bridge, "EmitAsync", arguments));
    }
}
