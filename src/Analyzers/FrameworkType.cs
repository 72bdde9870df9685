using System;
using Microsoft.CodeAnalysis;

namespace AgentBridge.Analyzers;

/// <summary>
/// A framework type the rules recognize (<c>System.Lazy`1</c>, ASP.NET Core's request types, the service collection's
/// extensions), compared by its full metadata name on the symbols a rule already has in hand. Looking such a type up in
/// the compilation (<see cref="Compilation.GetTypeByMetadataName"/>) would load its namespace from every referenced
/// assembly in each build, for the many compilations whose code never uses it; a name comparison loads nothing. The
/// AgentBridge types themselves are resolved as symbols (<see cref="AgentBridgeTypes"/>): a user's own type of the same
/// name is not ours.
/// </summary>
internal sealed class FrameworkType
{
    private readonly string _namespace;

    /// <param name="fullMetadataName">The namespace and metadata name: <c>System.Lazy`1</c>.</param>
    public FrameworkType(string fullMetadataName)
    {
        var dot = fullMetadataName.LastIndexOf('.');
        if (dot <= 0 || dot == fullMetadataName.Length - 1)
        {
            throw new ArgumentException("A namespace-qualified metadata name is expected.", nameof(fullMetadataName));
        }

        _namespace = fullMetadataName.Substring(0, dot);
        MetadataName = fullMetadataName.Substring(dot + 1);
    }

    /// <summary>The type's metadata name without its namespace (<c>Lazy`1</c>).</summary>
    public string MetadataName { get; }

    /// <summary>Whether <paramref name="type"/> is this type (any construction of it).</summary>
    public bool Is(ITypeSymbol? type) =>
        type is INamedTypeSymbol { ContainingType: null } named
        && named.MetadataName == MetadataName
        && IsNamespace(named.ContainingNamespace, _namespace);

    /// <summary>Whether <paramref name="type"/> is this type or derives from it.</summary>
    public bool IsBaseOf(ITypeSymbol? type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (Is(current))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="symbol"/> is the namespace <paramref name="fullName"/>, compared segment by segment from the innermost.</summary>
    private static bool IsNamespace(INamespaceSymbol? symbol, string fullName)
    {
        var end = fullName.Length;
        while (symbol is { IsGlobalNamespace: false })
        {
            if (end <= 0)
            {
                return false;
            }

            var start = fullName.LastIndexOf('.', end - 1) + 1;
            var length = end - start;
            var name = symbol.Name;
            if (name.Length != length || string.CompareOrdinal(name, 0, fullName, start, length) != 0)
            {
                return false;
            }

            end = start - 1;
            symbol = symbol.ContainingNamespace;
        }

        return end < 0 && symbol is not null;
    }
}
