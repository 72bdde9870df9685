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
/// AGB0007: the user id taken from the request becomes the authenticated user's —
/// <c>provider.GetUserId(user)</c> when the app's <c>IAgentBridgeUserIdProvider</c> is in scope (the id the event
/// socket uses too), otherwise <c>user.FindFirstValue(ClaimTypes.NameIdentifier)</c> — where a <c>ClaimsPrincipal</c>
/// (a local, a parameter, an instance member such as a controller's <c>User</c>) or an <c>HttpContext</c> or
/// <c>HttpRequest</c> (its <c>User</c>) is in scope. The value may be null (no such claim): <c>!</c> passes it on, and
/// <c>UserExecutionContext.Create</c> then refuses it, so the request fails closed instead of picking a user.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RequestUserIdCodeFix)), Shared]
internal sealed class RequestUserIdCodeFix : AgentBridgeCodeFixProvider
{
    public const string Key = "AGB0007:UseAuthenticatedUser";

    public override string EquivalenceKey => Key;

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.UserIdFromRequest);

    protected override async Task<IReadOnlyList<FixOffer>> GetOffersAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        var principals = model is null ? null : Principals.TryCreate(model.Compilation);
        if (model is null || principals is null || principals.Find(model, diagnostic.Location.SourceSpan.Start, cancellationToken) is not { } user)
        {
            return System.Array.Empty<FixOffer>();
        }

        var provider = principals.Provider(model, diagnostic.Location.SourceSpan.Start, cancellationToken);
        return new[]
        {
            new FixOffer(provider is null
                ? $"Take the user id from '{user.Display}.FindFirstValue(ClaimTypes.NameIdentifier)'"
                : $"Take the user id from '{provider.Display}.GetUserId({user.Display})'"),
        };
    }

    protected override async Task<Document?> FixAsync(Document document, ImmutableArray<Diagnostic> diagnostics, string? choice, CancellationToken cancellationToken)
    {
        var fix = await DocumentFix.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var principals = fix is null ? null : Principals.TryCreate(fix.Model.Compilation);
        if (fix is null || principals is null)
        {
            return null;
        }

        foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start))
        {
            var userId = UserIdArgument(fix, diagnostic, cancellationToken);
            var position = diagnostic.Location.SourceSpan.Start;
            if (userId is null || principals.Find(fix.Model, position, cancellationToken) is not { } user)
            {
                continue;
            }

            ExpressionSyntax value;
            if (principals.Provider(fix.Model, position, cancellationToken) is { } provider)
            {
                value = Arguments.Call(provider.Expression, "GetUserId", user.Expression);
            }
            else
            {
                var nameIdentifier = SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, fix.TypeName(principals.ClaimTypes), SyntaxFactory.IdentifierName("NameIdentifier"));
                value = principals.FindFirstValue is { } findFirstValue
                    ? fix.ExtensionCall(user.Expression, principals.ClaimsPrincipal, findFirstValue, position, SyntaxFactory.Argument(nameIdentifier))
                    : SyntaxFactory.ConditionalAccessExpression(
                        Arguments.Call(user.Expression, "FindFirst", nameIdentifier),
                        SyntaxFactory.MemberBindingExpression(SyntaxFactory.IdentifierName("Value")));
            }

            // No claim, no id: '!' lets the null through to Create/SendToUserAsync, which refuse it (fail closed).
            if (fix.Model.GetNullableContext(position).WarningsEnabled())
            {
                value = SyntaxFactory.PostfixUnaryExpression(
                    SyntaxKind.SuppressNullableWarningExpression,
                    value is ConditionalAccessExpressionSyntax ? SyntaxFactory.ParenthesizedExpression(value) : value);
            }

            fix.Replace(userId, value);
        }

        return await fix.FinishAsync(cancellationToken).ConfigureAwait(false);
    }

    private static ExpressionSyntax? UserIdArgument(DocumentFix fix, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var node = fix.Root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        foreach (var invocation in node.AncestorsAndSelf().OfType<InvocationExpressionSyntax>())
        {
            if (fix.Model.GetOperation(invocation, cancellationToken) is IInvocationOperation operation
                && (SymbolEqualityComparer.Default.Equals(operation.TargetMethod.OriginalDefinition, fix.Types.ContextCreate)
                    || fix.Types.IsManagerSend(operation.TargetMethod)))
            {
                var userId = Arguments.ExpressionOf(AgentBridgeTypes.FindArgument(operation.Arguments, 0));
                return userId is not null && userId.Span.Contains(diagnostic.Location.SourceSpan) ? userId : null;
            }
        }

        return null;
    }

    /// <summary>The principal types of a compilation, and what is in scope of them at a position.</summary>
    private sealed class Principals
    {
        private Principals(INamedTypeSymbol claimsPrincipal, INamedTypeSymbol claimTypes, Compilation compilation)
        {
            ClaimsPrincipal = claimsPrincipal;
            ClaimTypes = claimTypes;
            HttpContext = compilation.GetTypeByMetadataName("Microsoft.AspNetCore.Http.HttpContext");
            HttpRequest = compilation.GetTypeByMetadataName("Microsoft.AspNetCore.Http.HttpRequest");
            UserIdProvider = compilation.GetTypeByMetadataName("AgentBridge.IAgentBridgeUserIdProvider");
            FindFirstValue = compilation.GetTypeByMetadataName("System.Security.Claims.PrincipalExtensions")?
                .GetMembers("FindFirstValue").OfType<IMethodSymbol>().FirstOrDefault(m => m.IsExtensionMethod);
        }

        public INamedTypeSymbol ClaimsPrincipal { get; }

        public INamedTypeSymbol ClaimTypes { get; }

        public INamedTypeSymbol? HttpContext { get; }

        public INamedTypeSymbol? HttpRequest { get; }

        public INamedTypeSymbol? UserIdProvider { get; }

        /// <summary><c>PrincipalExtensions.FindFirstValue</c> (Microsoft.Extensions.Identity.Core), when referenced.</summary>
        public IMethodSymbol? FindFirstValue { get; }

        public static Principals? TryCreate(Compilation compilation) =>
            compilation.GetTypeByMetadataName("System.Security.Claims.ClaimsPrincipal") is { } principal
            && compilation.GetTypeByMetadataName("System.Security.Claims.ClaimTypes") is { } claimTypes
                ? new Principals(principal, claimTypes, compilation)
                : null;

        /// <summary>The authenticated user in scope: a principal, else an <c>HttpContext</c>'s or <c>HttpRequest</c>'s <c>User</c>.</summary>
        public ScopeValue? Find(SemanticModel model, int position, CancellationToken cancellationToken)
        {
            if (ScopeLookup.Find(model, position, t => AgentBridgeTypes.DerivesFrom(t, ClaimsPrincipal), cancellationToken).FirstOrDefault(v => !v.MayBeNull) is { } principal)
            {
                return principal;
            }

            if (HttpContext is not null && ScopeLookup.Find(model, position, t => AgentBridgeTypes.DerivesFrom(t, HttpContext), cancellationToken).FirstOrDefault(v => !v.MayBeNull) is { } context)
            {
                return Member(context, "User");
            }

            if (HttpRequest is not null && ScopeLookup.Find(model, position, t => AgentBridgeTypes.DerivesFrom(t, HttpRequest), cancellationToken).FirstOrDefault(v => !v.MayBeNull) is { } request)
            {
                return Member(Member(request, "HttpContext"), "User");
            }

            return null;
        }

        /// <summary>The app's <c>IAgentBridgeUserIdProvider</c> in scope, if any.</summary>
        public ScopeValue? Provider(SemanticModel model, int position, CancellationToken cancellationToken) =>
            UserIdProvider is null
                ? null
                : ScopeLookup.Find(model, position, t => AgentBridgeTypes.DerivesFrom(t, UserIdProvider) || t.AllInterfaces.Any(i => AgentBridgeTypes.DerivesFrom(i, UserIdProvider)), cancellationToken).FirstOrDefault(v => !v.MayBeNull);

        private static ScopeValue Member(ScopeValue value, string name) =>
            new ScopeValue(
                value.Symbol,
                value.Display + "." + name,
                SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, value.Expression, SyntaxFactory.IdentifierName(name)),
                mayBeNull: false);
    }
}
