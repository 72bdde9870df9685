using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AgentBridge.CodeFixes.Infrastructure;

internal static class Arguments
{
    /// <summary>The expression written for an argument, or <see langword="null"/> when it was left to its default.</summary>
    /// <remarks>The operation's syntax is the <see cref="ArgumentSyntax"/> usually, but its expression in some shapes (<c>null!</c>).</remarks>
    public static ExpressionSyntax? ExpressionOf(IArgumentOperation? argument)
    {
        if (argument is null || argument.ArgumentKind == Microsoft.CodeAnalysis.Operations.ArgumentKind.DefaultValue)
        {
            return null;
        }

        // For 'null!' the operation's syntax is the 'null' inside the suppression: the argument is what encloses it.
        // For the 'this' argument of an extension method called as one, it is the receiver expression itself.
        SyntaxNode? node = argument.Syntax;
        while (node is ExpressionSyntax && node.Parent is PostfixUnaryExpressionSyntax or ParenthesizedExpressionSyntax)
        {
            node = node.Parent;
        }

        return node switch
        {
            ArgumentSyntax syntax => syntax.Expression,
            ExpressionSyntax { Parent: ArgumentSyntax syntax } => syntax.Expression,
            ExpressionSyntax => argument.Syntax as ExpressionSyntax,
            _ => null,
        };
    }
}
