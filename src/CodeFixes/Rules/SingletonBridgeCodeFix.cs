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
/// AGB0002: a singleton registration of <c>AgentWebSocketBridge</c> → <c>services.AddAgentBridge()</c>, or removed
/// where <c>AddAgentBridge</c> is already called on that collection in the same member (or chain). Static fields and
/// properties and keyed registrations get no fix: their users need a per-user design, not a rewrite.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(SingletonBridgeCodeFix)), Shared]
internal sealed class SingletonBridgeCodeFix : AgentBridgeCodeFixProvider
{
    public const string Key = "AGB0002:UseAddAgentBridge";
    private const string AddAgentBridge = "AddAgentBridge";
    private const string DependencyInjectionNamespace = "Microsoft.Extensions.DependencyInjection";

    public override string EquivalenceKey => Key;

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.SingletonBridge);

    /// <summary>The analyzer marks the registrations AddAgentBridge replaces; static members and keyed registrations have no fix.</summary>
    protected override Task<IReadOnlyList<FixOffer>> GetOffersAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken) =>
        OfferWhenMarked(diagnostic, DiagnosticProperties.ReplaceWithAddAgentBridge, "Register the bridge factory with AddAgentBridge()");

    protected override async Task<Document?> FixAsync(Document document, ImmutableArray<Diagnostic> diagnostics, string? choice, CancellationToken cancellationToken)
    {
        var fix = await DocumentFix.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var extensions = fix?.Model.Compilation.GetTypeByMetadataName(DependencyInjectionNamespace + ".AgentBridgeServiceCollectionExtensions");
        var serviceCollection = fix?.Model.Compilation.GetTypeByMetadataName(DependencyInjectionNamespace + ".IServiceCollection");
        var addAgentBridge = extensions?.GetMembers(AddAgentBridge).OfType<IMethodSymbol>().FirstOrDefault(m => m.IsExtensionMethod);
        if (fix is null || extensions is null || serviceCollection is null || addAgentBridge is null)
        {
            return null;
        }

        // Collections that already get AddAgentBridge, per member: the ones written there, and the ones this fix adds.
        var registered = new HashSet<(SyntaxNode Member, ISymbol Collection)>();

        foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start))
        {
            if (!diagnostic.Properties.ContainsKey(DiagnosticProperties.ReplaceWithAddAgentBridge))
            {
                continue;
            }

            var node = fix.Root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            var invocation = node.AncestorsAndSelf().OfType<InvocationExpressionSyntax>().FirstOrDefault();
            if (invocation is null
                || fix.Model.GetOperation(invocation, cancellationToken) is not IInvocationOperation operation
                || !operation.TargetMethod.IsExtensionMethod
                || operation.Arguments.IsEmpty
                || Arguments.ExpressionOf(operation.Arguments[0]) is not { } services
                || !SymbolEqualityComparer.Default.Equals(operation.Arguments[0].Parameter?.Type, serviceCollection))
            {
                continue;
            }

            var member = invocation.Ancestors().FirstOrDefault(n => n is MemberDeclarationSyntax or GlobalStatementSyntax or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax);
            member = member is GlobalStatementSyntax ? member.Parent : member;
            var collection = RootCollection(operation.Arguments[0].Value);
            if (member is not null && collection is not null && !registered.Contains((member, collection))
                && CallsAddAgentBridge(fix.Model, member, collection, extensions, cancellationToken))
            {
                registered.Add((member, collection));
            }

            if (member is not null && collection is not null && registered.Contains((member, collection)))
            {
                // Already registered: drop the statement, or keep the chain going on the same collection.
                if (invocation.Parent is ExpressionStatementSyntax statement && statement.Parent is BlockSyntax or SwitchSectionSyntax)
                {
                    fix.Remove(statement);
                    continue;
                }

                if (operation.Type is not null && SymbolEqualityComparer.Default.Equals(operation.Type, serviceCollection))
                {
                    fix.Replace(invocation, services.WithoutTrivia());
                    continue;
                }
            }

            ExpressionSyntax replacement = fix.ExtensionCall(services.WithoutTrivia(), serviceCollection, addAgentBridge, invocation.SpanStart);
            if (operation.Parent is not IExpressionStatementOperation && !ReturnsServiceCollection(extensions, serviceCollection))
            {
                // AddAgentBridge returns a builder: a chain that went on with the collection goes on with its Services.
                replacement = SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, replacement, SyntaxFactory.IdentifierName("Services"));
            }

            fix.Replace(invocation, replacement);
            if (member is not null && collection is not null)
            {
                registered.Add((member, collection));
            }
        }

        return await fix.FinishAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The local, parameter, field or property a chain of <c>services.AddX().AddY()</c> starts from.</summary>
    private static ISymbol? RootCollection(IOperation value)
    {
        while (true)
        {
            switch (value)
            {
                case IConversionOperation conversion:
                    value = conversion.Operand;
                    break;
                case IInvocationOperation { TargetMethod.IsExtensionMethod: true, Arguments.Length: > 0 } chained:
                    value = chained.Arguments[0].Value;
                    break;
                case ILocalReferenceOperation local:
                    return local.Local;
                case IParameterReferenceOperation parameter:
                    return parameter.Parameter;
                case IFieldReferenceOperation field:
                    return field.Field;
                case IPropertyReferenceOperation { Property.Name: "Services", Instance: IInvocationOperation builder }:
                    value = builder;
                    break;
                case IPropertyReferenceOperation property:
                    return property.Property;
                default:
                    return null;
            }
        }
    }

    private static bool ReturnsServiceCollection(INamedTypeSymbol extensions, INamedTypeSymbol serviceCollection) =>
        extensions.GetMembers(AddAgentBridge).OfType<IMethodSymbol>().Any(m => SymbolEqualityComparer.Default.Equals(m.ReturnType, serviceCollection));

    private static bool CallsAddAgentBridge(SemanticModel model, SyntaxNode member, ISymbol collection, INamedTypeSymbol extensions, CancellationToken cancellationToken)
    {
        foreach (var candidate in member.DescendantNodes().OfType<InvocationExpressionSyntax>())
        {
            if (candidate.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: AddAgentBridge } or IdentifierNameSyntax { Identifier.ValueText: AddAgentBridge }
                && model.GetOperation(candidate, cancellationToken) is IInvocationOperation { Arguments.Length: > 0 } call
                && SymbolEqualityComparer.Default.Equals(call.TargetMethod.ContainingType, extensions)
                && SymbolEqualityComparer.Default.Equals(RootCollection(call.Arguments[0].Value), collection))
            {
                return true;
            }
        }

        return false;
    }
}
