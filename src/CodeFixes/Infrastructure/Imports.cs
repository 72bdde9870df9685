using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;

namespace AgentBridge.CodeFixes.Infrastructure;

/// <summary>How a fix names a type: by its simple name (adding a <c>using</c> only when needed) or fully qualified when the simple name means something else there.</summary>
internal static class Imports
{
    /// <summary>The name to write for <paramref name="type"/> at <paramref name="position"/>; <paramref name="needsUsing"/> when its namespace must be imported.</summary>
    public static string NameFor(SemanticModel model, int position, INamedTypeSymbol type, out bool needsUsing)
    {
        var visible = model.LookupNamespacesAndTypes(position, name: type.Name);
        needsUsing = false;
        if (visible.Length == 1 && SymbolEqualityComparer.Default.Equals(visible[0], type))
        {
            return type.Name;
        }

        if (visible.IsEmpty)
        {
            needsUsing = true;
            return type.Name;
        }

        return "global::" + type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat).Replace("global::", string.Empty);
    }

    /// <summary>Whether the extension method <paramref name="methodName"/> on <paramref name="receiverType"/> binds at <paramref name="position"/>.</summary>
    public static bool IsExtensionVisible(SemanticModel model, int position, ITypeSymbol receiverType, string methodName) =>
        model.LookupSymbols(position, receiverType, methodName, includeReducedExtensionMethods: true).Any();

    /// <summary>Adds <c>using <paramref name="namespaceName"/>;</c> to the file unless it is there, in sorted place.</summary>
    public static SyntaxNode AddUsing(SyntaxNode root, string namespaceName)
    {
        if (root is not CompilationUnitSyntax unit || unit.Usings.Any(u => u.Alias is null && u.StaticKeyword.IsKind(SyntaxKind.None) && u.Name?.ToString() == namespaceName))
        {
            return root;
        }

        var directive = SyntaxFactory.UsingDirective(SyntaxFactory.ParseName(namespaceName))
            .WithTrailingTrivia(SyntaxFactory.ElasticLineFeed)
            .WithAdditionalAnnotations(Formatter.Annotation);

        var usings = unit.Usings;
        var index = usings.Count;
        for (var i = 0; i < usings.Count; i++)
        {
            var name = usings[i].Name?.ToString() ?? string.Empty;
            if (usings[i].Alias is null && usings[i].StaticKeyword.IsKind(SyntaxKind.None) && !usings[i].GlobalKeyword.IsKind(SyntaxKind.GlobalKeyword)
                && Compare(namespaceName, name) < 0)
            {
                index = i;
                break;
            }
        }

        if (usings.Count == 0)
        {
            // Keep the file's header comments above the new using.
            var first = unit.GetLeadingTrivia();
            unit = unit.WithoutLeadingTrivia();
            directive = directive.WithLeadingTrivia(first).WithTrailingTrivia(SyntaxFactory.ElasticLineFeed, SyntaxFactory.ElasticLineFeed);
            return unit.WithUsings(unit.Usings.Add(directive));
        }

        if (index == 0)
        {
            // Move the header comments of the first using to the new first one.
            var header = usings[0].GetLeadingTrivia();
            usings = usings.Replace(usings[0], usings[0].WithoutLeadingTrivia());
            directive = directive.WithLeadingTrivia(header);
        }

        return unit.WithUsings(usings.Insert(index, directive));
    }

    // System namespaces first, then ordinal — the default of 'dotnet format'.
    private static int Compare(string a, string b)
    {
        var aSystem = a == "System" || a.StartsWith("System.", System.StringComparison.Ordinal);
        var bSystem = b == "System" || b.StartsWith("System.", System.StringComparison.Ordinal);
        if (aSystem != bSystem)
        {
            return aSystem ? -1 : 1;
        }

        return string.CompareOrdinal(a, b);
    }
}
