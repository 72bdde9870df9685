using System.Linq;
using AgentBridge.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AgentBridge.CodeFixes.Infrastructure;

/// <summary>Finds the bridge construction a diagnostic is on.</summary>
internal static class BridgeCreations
{
    public static (BaseObjectCreationExpressionSyntax Syntax, IObjectCreationOperation Operation)? Find(FactoryRewriter rewriter, Diagnostic diagnostic)
    {
        var node = rewriter.Root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        var syntax = node.AncestorsAndSelf().OfType<BaseObjectCreationExpressionSyntax>().FirstOrDefault();
        if (syntax is null || syntax.Initializer is not null
            || rewriter.Model.GetOperation(syntax) is not IObjectCreationOperation operation
            || !SymbolEqualityComparer.Default.Equals(operation.Constructor?.ContainingType, rewriter.Types.Bridge))
        {
            return null;
        }

        return (syntax, operation);
    }
}
