using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AgentBridge.CodeFixes.Infrastructure;

internal static class Arguments
{
    /// <summary>The expression written for an argument, or <see langword="null"/> when it was left to its default.</summary>
    /// <remarks>The operation's syntax is the <see cref="ArgumentSyntax"/> usually, but its expression in some shapes (<c>null!</c>).</remarks>
    public static ExpressionSyntax? ExpressionOf(IArgumentOperation? argument)
    {
        if (argument is null || argument.ArgumentKind == ArgumentKind.DefaultValue)
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

    /// <summary>An argument list written as people write it: <c>(a, b)</c>.</summary>
    public static ArgumentListSyntax List(IEnumerable<ArgumentSyntax> arguments)
    {
        var list = arguments.ToList();
        return SyntaxFactory.ArgumentList(SyntaxFactory.SeparatedList(
            list,
            Enumerable.Repeat(SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(SyntaxFactory.Space), System.Math.Max(0, list.Count - 1))));
    }

    public static ArgumentListSyntax List(params ExpressionSyntax[] arguments) => List(arguments.Select(SyntaxFactory.Argument));

    /// <summary><c>target.Name(arguments)</c>.</summary>
    public static InvocationExpressionSyntax Call(ExpressionSyntax target, string name, params ExpressionSyntax[] arguments) =>
        SyntaxFactory.InvocationExpression(
            SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, target, SyntaxFactory.IdentifierName(name)),
            List(arguments));
}
