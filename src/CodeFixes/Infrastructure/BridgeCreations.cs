using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AgentBridge.CodeFixes.Infrastructure;

/// <summary>Finds the bridge construction a diagnostic is on.</summary>
internal static class BridgeCreations
{
    /// <summary>The construction under <paramref name="diagnostic"/>, without an object initializer (the factory takes none).</summary>
    public static BaseObjectCreationExpressionSyntax? FindSyntax(SyntaxNode root, Diagnostic diagnostic) =>
        root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true)
            .AncestorsAndSelf()
            .OfType<BaseObjectCreationExpressionSyntax>()
            .FirstOrDefault() is { Initializer: null } syntax ? syntax : null;

    public static (BaseObjectCreationExpressionSyntax Syntax, IObjectCreationOperation Operation)? Find(DocumentFix fix, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var syntax = FindSyntax(fix.Root, diagnostic);
        if (syntax is null
            || fix.Model.GetOperation(syntax, cancellationToken) is not IObjectCreationOperation operation
            || !SymbolEqualityComparer.Default.Equals(operation.Constructor?.ContainingType, fix.Types.Bridge))
        {
            return null;
        }

        return (syntax, operation);
    }
}
