using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AgentBridge.CodeFixes.Infrastructure;

/// <summary>A value in scope at a position that a fix can use by name.</summary>
internal sealed class ScopeValue
{
    public ScopeValue(ISymbol symbol, string display, ExpressionSyntax expression, bool mayBeNull)
    {
        Symbol = symbol;
        Display = display;
        Expression = expression;
        MayBeNull = mayBeNull;
    }

    public ISymbol Symbol { get; }

    /// <summary>How the fix names it: <c>context</c>, <c>bridge.UserContext</c>.</summary>
    public string Display { get; }

    public ExpressionSyntax Expression { get; }

    /// <summary>Declared nullable (<c>UserExecutionContext?</c>, <c>bridge.UserContext</c>).</summary>
    public bool MayBeNull { get; }
}

/// <summary>
/// What a fix may take a value from at a position: the site's own scope only — locals declared before it, parameters,
/// and instance fields and properties of the containing type (where <c>this</c> is available), in that order. Never a
/// static member, never another type's member, and never a local, field or property whose value is read from a static
/// member (a static holder, a singleton): that shared value is the very leak the rules exist to stop.
/// </summary>
internal static class ScopeLookup
{
    /// <summary>Whether code at <paramref name="position"/> may use <c>this</c> (not static, not a field initializer, not top-level code).</summary>
    public static bool HasInstanceAccess(SemanticModel model, int position)
    {
        var symbol = model.GetEnclosingSymbol(position);
        while (symbol is IMethodSymbol { MethodKind: MethodKind.AnonymousFunction or MethodKind.LocalFunction } function)
        {
            if (function.IsStatic)
            {
                return false;
            }

            symbol = function.ContainingSymbol;
        }

        return symbol switch
        {
            IMethodSymbol method => !method.IsStatic && method.MethodKind is not MethodKind.StaticConstructor,
            IPropertySymbol property => !property.IsStatic,
            IEventSymbol @event => !@event.IsStatic,
            _ => false,
        };
    }

    /// <summary>The values of the wanted type that code at <paramref name="position"/> may safely read by their simple name.</summary>
    /// <remarks>
    /// Looked up by name, not by listing the whole scope (which holds every type of every imported namespace): the names
    /// declared in the enclosing member (parameters and locals, of its lambdas and local functions too) and the instance
    /// fields and properties of the containing type and its bases, each then looked up at the position, so that a
    /// shadowed or out-of-scope one is not taken.
    /// </remarks>
    public static List<ScopeValue> Find(SemanticModel model, int position, System.Func<ITypeSymbol, bool> isWanted, CancellationToken cancellationToken)
    {
        var instanceAccess = HasInstanceAccess(model, position);
        var enclosing = model.GetEnclosingSymbol(position, cancellationToken);
        var containingType = enclosing?.ContainingType;
        var locals = new List<ScopeValue>();
        var parameters = new List<ScopeValue>();
        var members = new List<ScopeValue>();
        var seen = new HashSet<ISymbol>(SymbolEqualityComparer.Default);

        foreach (var name in DeclaredNames(model.SyntaxTree.GetRoot(cancellationToken), position))
        {
            foreach (var symbol in model.LookupSymbols(position, name: name))
            {
                if (!seen.Add(symbol))
                {
                    continue;
                }

                switch (symbol)
                {
                    case ILocalSymbol local when isWanted(local.Type) && IsDeclaredBefore(local, position) && !ReadsStaticMember(model, local, cancellationToken):
                        locals.Add(Create(local, IsDeclaredNullable(local)));
                        break;
                    case IParameterSymbol parameter when isWanted(parameter.Type):
                        parameters.Add(Create(parameter, parameter.NullableAnnotation == NullableAnnotation.Annotated));
                        break;
                }
            }
        }

        for (var type = instanceAccess ? containingType : null; type is not null; type = type.BaseType)
        {
            foreach (var member in type.GetMembers())
            {
                var wanted = member switch
                {
                    IFieldSymbol field => !field.IsStatic && !field.IsImplicitlyDeclared && isWanted(field.Type),
                    IPropertySymbol property => !property.IsStatic && !property.IsIndexer && property.GetMethod is not null && isWanted(property.Type)
                        && !SymbolEqualityComparer.Default.Equals(property, enclosing)
                        && !SymbolEqualityComparer.Default.Equals(property.GetMethod, enclosing),
                    _ => false,
                };

                // Visible by its simple name here (not shadowed, accessible), and not holding a shared value.
                if (wanted && seen.Add(member)
                    && model.LookupSymbols(position, name: member.Name).Any(s => SymbolEqualityComparer.Default.Equals(s, member))
                    && !ReadsStaticMember(model, member, cancellationToken))
                {
                    var annotation = member is IFieldSymbol field ? field.NullableAnnotation : ((IPropertySymbol)member).NullableAnnotation;
                    members.Add(Create(member, annotation == NullableAnnotation.Annotated));
                }
            }
        }

        var all = new List<ScopeValue>(locals.Count + parameters.Count + members.Count);
        all.AddRange(locals);
        all.AddRange(parameters);
        all.AddRange(members);
        return all;
    }

    /// <summary>The names of the parameters and locals declared in the member (or top-level code) around <paramref name="position"/>.</summary>
    private static HashSet<string> DeclaredNames(SyntaxNode root, int position)
    {
        var names = new HashSet<string>(System.StringComparer.Ordinal);
        var token = root.FindToken(position);
        SyntaxNode? scope = token.Parent?.AncestorsAndSelf().FirstOrDefault(n => n is MemberDeclarationSyntax and not BaseNamespaceDeclarationSyntax);
        if (scope is null || scope is GlobalStatementSyntax)
        {
            scope = root;
        }

        // A primary constructor's parameters are in scope in the whole type.
        if (scope.Parent is TypeDeclarationSyntax { ParameterList: { } primary })
        {
            foreach (var parameter in primary.Parameters)
            {
                names.Add(parameter.Identifier.ValueText);
            }
        }

        foreach (var node in scope.DescendantNodesAndSelf(descendIntoChildren: n => n == scope || n is not (BaseTypeDeclarationSyntax or BaseNamespaceDeclarationSyntax)))
        {
            var identifier = node switch
            {
                ParameterSyntax parameter => parameter.Identifier,
                VariableDeclaratorSyntax declarator => declarator.Identifier,
                SingleVariableDesignationSyntax designation => designation.Identifier,
                ForEachStatementSyntax forEach => forEach.Identifier,
                CatchDeclarationSyntax catchDeclaration => catchDeclaration.Identifier,
                _ => default,
            };

            if (identifier.RawKind != 0 && identifier.ValueText.Length > 0)
            {
                names.Add(identifier.ValueText);
            }
        }

        return names;
    }

    private static ScopeValue Create(ISymbol symbol, bool mayBeNull) =>
        new ScopeValue(symbol, symbol.Name, SyntaxFactory.IdentifierName(symbol.Name), mayBeNull);

    /// <summary>
    /// Whether any value the symbol is given in source — its initializer, its getter, an assignment in its method (a
    /// local) or in its type (a field or property) — reads a static field or property: then it holds a shared value.
    /// </summary>
    private static bool ReadsStaticMember(SemanticModel model, ISymbol symbol, CancellationToken cancellationToken)
    {
        foreach (var reference in symbol.DeclaringSyntaxReferences)
        {
            var declaration = reference.GetSyntax(cancellationToken);
            var declarationModel = declaration.SyntaxTree == model.SyntaxTree ? model : model.Compilation.GetSemanticModel(declaration.SyntaxTree);
            var values = new List<SyntaxNode>();
            switch (declaration)
            {
                case VariableDeclaratorSyntax { Initializer: { } initializer }:
                    values.Add(initializer.Value);
                    break;
                case PropertyDeclarationSyntax property:
                    values.AddRange(new SyntaxNode?[] { property.Initializer?.Value, property.ExpressionBody?.Expression }.OfType<SyntaxNode>());
                    values.AddRange(property.AccessorList?.Accessors.Where(a => a.IsKind(SyntaxKind.GetAccessorDeclaration))
                        .SelectMany(a => new SyntaxNode?[] { a.Body, a.ExpressionBody?.Expression }).OfType<SyntaxNode>() ?? Enumerable.Empty<SyntaxNode>());
                    break;
            }

            // Assignments elsewhere: in the local's block, or anywhere in the member's type declaration.
            SyntaxNode? scope = symbol is ILocalSymbol
                ? declaration.FirstAncestorOrSelf<BlockSyntax>() ?? (SyntaxNode?)declaration.FirstAncestorOrSelf<CompilationUnitSyntax>()
                : declaration.FirstAncestorOrSelf<TypeDeclarationSyntax>();
            if (scope is not null)
            {
                foreach (var assignment in scope.DescendantNodes().OfType<AssignmentExpressionSyntax>())
                {
                    if (NameOf(assignment.Left) == symbol.Name)
                    {
                        values.Add(assignment.Right);
                    }
                }
            }

            foreach (var value in values)
            {
                if (declarationModel.GetOperation(WithoutSuppression(value), cancellationToken) is { } operation && ReadsStatic(operation))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>'x!' and '(x)' have no operation of their own: their operand's is the value.</summary>
    private static SyntaxNode WithoutSuppression(SyntaxNode node)
    {
        while (node is PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.SuppressNullableWarningExpression } or ParenthesizedExpressionSyntax)
        {
            node = node is PostfixUnaryExpressionSyntax postfix ? postfix.Operand : ((ParenthesizedExpressionSyntax)node).Expression;
        }

        return node;
    }

    private static string? NameOf(ExpressionSyntax target) => target switch
    {
        IdentifierNameSyntax name => name.Identifier.ValueText,
        MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax, Name: var name } => name.Identifier.ValueText,
        _ => null,
    };

    private static bool ReadsStatic(IOperation operation)
    {
        foreach (var descendant in operation.DescendantsAndSelf())
        {
            if (descendant is IFieldReferenceOperation { Field: { IsStatic: true, IsConst: false } }
                or IPropertyReferenceOperation { Property.IsStatic: true })
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsDeclaredBefore(ILocalSymbol local, int position)
    {
        foreach (var reference in local.DeclaringSyntaxReferences)
        {
            if (reference.Span.End > position)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsDeclaredNullable(ILocalSymbol local)
    {
        // 'var' locals are nullable-annotated by the language, but hold what they were assigned: trust the flow.
        foreach (var reference in local.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax().Parent is VariableDeclarationSyntax { Type: { IsVar: true } })
            {
                return false;
            }
        }

        return local.NullableAnnotation == NullableAnnotation.Annotated;
    }
}
