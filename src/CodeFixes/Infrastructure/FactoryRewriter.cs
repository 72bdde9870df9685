using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AgentBridge.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;

namespace AgentBridge.CodeFixes.Infrastructure;

/// <summary>
/// One document being rewritten by a fix: collects the edits of every site, the factories to inject (once per
/// class) and the <c>using</c>s to add (once per file), then applies them and formats only what changed.
/// </summary>
internal sealed class FactoryRewriter
{
    private readonly List<FactoryPlan> _injections = new List<FactoryPlan>();
    private readonly HashSet<string> _usings = new HashSet<string>(System.StringComparer.Ordinal);
    private string? _factoryTypeName;

    private FactoryRewriter(Document document, SyntaxNode root, SemanticModel model, AgentBridgeTypes types)
    {
        Document = document;
        Root = root;
        Model = model;
        Types = types;
        Editor = new SyntaxEditor(root, document.Project.Solution.Workspace.Services);
    }

    public Document Document { get; }

    public SyntaxNode Root { get; }

    public SemanticModel Model { get; }

    public AgentBridgeTypes Types { get; }

    public SyntaxEditor Editor { get; }

    public bool Changed { get; private set; }

    public static async Task<FactoryRewriter?> CreateAsync(Document document, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return null;
        }

        var types = AgentBridgeTypes.TryCreate(model.Compilation);
        return types is null ? null : new FactoryRewriter(document, root, model, types);
    }

    /// <summary>The expression that names a factory at <paramref name="site"/> (injecting one if needed), or <see langword="null"/>.</summary>
    public async Task<ExpressionSyntax?> GetFactoryAsync(SyntaxNode site, CancellationToken cancellationToken)
    {
        var plan = await FactoryPlan.CreateAsync(Document, Model, site, Types, cancellationToken).ConfigureAwait(false);
        if (plan is null)
        {
            return null;
        }

        if (plan.InjectInto is not null && plan.Declaration is not null)
        {
            var name = Imports.NameFor(Model, plan.Declaration.SpanStart, Types.BridgeFactory!, out var needsUsing);
            if (_factoryTypeName is not null && _factoryTypeName != name)
            {
                return null;
            }

            _factoryTypeName = name;
            if (needsUsing)
            {
                RequireUsing(Types.BridgeFactory!.ContainingNamespace.ToDisplayString());
            }

            _injections.Add(plan);
        }

        return plan.Expression;
    }

    /// <summary><c>factory.Create(context)</c>.</summary>
    public static InvocationExpressionSyntax CreateCall(ExpressionSyntax factory, ExpressionSyntax context) =>
        SyntaxFactory.InvocationExpression(
            SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, factory.WithoutTrivia(), SyntaxFactory.IdentifierName("Create")),
            SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(context.WithoutTrivia()))));

    public void RequireUsing(string namespaceName) => _usings.Add(namespaceName);

    public void Replace(SyntaxNode node, SyntaxNode replacement)
    {
        Editor.ReplaceNode(node, replacement.WithTriviaFrom(node));
        Changed = true;
    }

    public void Remove(SyntaxNode node)
    {
        // Keep comments and directives around the removed node, but not the blank line it stood on.
        var onlyWhitespace = node.GetLeadingTrivia().Concat(node.GetTrailingTrivia())
            .All(t => t.IsKind(SyntaxKind.WhitespaceTrivia) || t.IsKind(SyntaxKind.EndOfLineTrivia));
        Editor.RemoveNode(node, onlyWhitespace
            ? SyntaxRemoveOptions.KeepUnbalancedDirectives
            : SyntaxRemoveOptions.KeepUnbalancedDirectives | SyntaxRemoveOptions.KeepExteriorTrivia);
        Changed = true;
    }

    public async Task<Document?> FinishAsync(CancellationToken cancellationToken)
    {
        if (!Changed)
        {
            return null;
        }

        if (_injections.Count > 0)
        {
            FactoryPlan.ApplyInjections(Editor, _injections, _factoryTypeName!);
        }

        var root = Editor.GetChangedRoot();
        var sorted = new List<string>(_usings);
        sorted.Sort(System.StringComparer.Ordinal);
        foreach (var namespaceName in sorted)
        {
            root = Imports.AddUsing(root, namespaceName);
        }

        var document = Document.WithSyntaxRoot(root);
        return await Formatter.FormatAsync(document, Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
