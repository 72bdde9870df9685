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
using Microsoft.CodeAnalysis.Simplification;

namespace AgentBridge.CodeFixes.Infrastructure;

/// <summary>
/// One document being rewritten by a fix, on Roslyn's <see cref="DocumentEditor"/>: the edits of every site, the
/// factories to inject (once per class), then Roslyn's own clean-up — <see cref="ImportAdder"/> for the <c>using</c>s
/// the new code needs (only those), the <see cref="Simplifier"/> for the names it wrote fully qualified, and the
/// <see cref="Formatter"/> for what changed only, so the user's formatting and trivia stay as they were.
/// </summary>
internal sealed class DocumentFix
{
    // A static call 'Type.Extension(receiver, …)' written where the extension's namespace is not imported yet; turned
    // back into 'receiver.Extension(…)' once ImportAdder has imported it.
    private static readonly SyntaxAnnotation ExtensionCallAnnotation = new SyntaxAnnotation("AgentBridge.ExtensionCall");

    private readonly List<FactoryInjection> _injections = new List<FactoryInjection>();

    private DocumentFix(DocumentEditor editor, AgentBridgeTypes types)
    {
        Editor = editor;
        Types = types;
    }

    public DocumentEditor Editor { get; }

    public Document Document => Editor.OriginalDocument;

    public SyntaxNode Root => Editor.OriginalRoot;

    public SemanticModel Model => Editor.SemanticModel;

    public SyntaxGenerator Generator => Editor.Generator;

    public AgentBridgeTypes Types { get; }

    public bool Changed { get; private set; }

    public static async Task<DocumentFix?> CreateAsync(Document document, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var types = AgentBridgeTypes.TryCreate(editor.SemanticModel.Compilation);
        return types is null ? null : new DocumentFix(editor, types);
    }

    /// <summary>The name of <paramref name="type"/>, written fully qualified and annotated: imported if needed, then simplified.</summary>
    public TypeSyntax TypeName(ITypeSymbol type) =>
        (TypeSyntax)Generator.TypeExpression(type, addImport: true).WithAdditionalAnnotations(Simplifier.AddImportsAnnotation);

    /// <summary>
    /// <c>receiver.Method(arguments)</c> for the extension <paramref name="extension"/>; where its namespace is not imported
    /// at <paramref name="position"/>, the class-qualified call that gets it imported (reduced again when finishing).
    /// </summary>
    public ExpressionSyntax ExtensionCall(ExpressionSyntax receiver, ITypeSymbol receiverType, IMethodSymbol extension, int position, params ArgumentSyntax[] arguments)
    {
        var name = SyntaxFactory.IdentifierName(extension.Name);
        if (Model.LookupSymbols(position, receiverType, extension.Name, includeReducedExtensionMethods: true).Any())
        {
            return SyntaxFactory.InvocationExpression(
                SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, receiver, name),
                Arguments.List(arguments));
        }

        return SyntaxFactory.InvocationExpression(
                SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, TypeName(extension.ContainingType), name),
                Arguments.List(new[] { SyntaxFactory.Argument(receiver) }.Concat(arguments)))
            .WithAdditionalAnnotations(ExtensionCallAnnotation);
    }

    /// <summary>The expression that names a factory at <paramref name="site"/> (injecting one if needed), or <see langword="null"/>.</summary>
    public async Task<ExpressionSyntax?> GetFactoryAsync(SyntaxNode site, CancellationToken cancellationToken)
    {
        var injection = await FactoryInjection.PlanAsync(this, site, _injections, cancellationToken).ConfigureAwait(false);
        if (injection is null)
        {
            return null;
        }

        if (injection.InjectInto is not null && !_injections.Any(i => SymbolEqualityComparer.Default.Equals(i.InjectInto, injection.InjectInto)))
        {
            _injections.Add(injection);
        }

        return injection.Expression;
    }

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

    /// <summary>The fixed document, or <see langword="null"/> when no site was changed.</summary>
    public async Task<Document?> FinishAsync(CancellationToken cancellationToken)
    {
        if (!Changed)
        {
            return null;
        }

        foreach (var injection in _injections)
        {
            injection.Apply(this);
        }

        var document = Editor.GetChangedDocument();
        document = await ImportAdder.AddImportsAsync(document, Simplifier.AddImportsAnnotation, cancellationToken: cancellationToken).ConfigureAwait(false);
        document = await Simplifier.ReduceAsync(document, Simplifier.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
        document = await ReduceExtensionCallsAsync(document, cancellationToken).ConfigureAwait(false);
        return await Formatter.FormatAsync(document, Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private static async Task<Document> ReduceExtensionCallsAsync(Document document, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var calls = root?.GetAnnotatedNodes(ExtensionCallAnnotation).OfType<InvocationExpressionSyntax>().ToList();
        if (root is null || calls is null || calls.Count == 0)
        {
            return document;
        }

        root = root.ReplaceNodes(calls, (original, call) =>
        {
            // Still qualified: the namespace could not be imported without a conflict, so the static call stays.
            if (call.Expression is not MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax, Name: var name } || call.ArgumentList.Arguments.Count == 0)
            {
                return call;
            }

            var arguments = call.ArgumentList.Arguments;
            return SyntaxFactory.InvocationExpression(
                    SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, arguments[0].Expression, name),
                    Arguments.List(arguments.Skip(1)))
                .WithTriviaFrom(call);
        });
        return document.WithSyntaxRoot(root);
    }
}
