using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AgentBridge.CodeFixes.Infrastructure
{
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
            foreach (var node in argument.Syntax.AncestorsAndSelf())
            {
                if (node is ArgumentSyntax syntax)
                {
                    return syntax.Expression;
                }
            }

            return null;
        }
    }
}
