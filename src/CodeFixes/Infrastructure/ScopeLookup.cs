using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

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

/// <summary>What a fix may use at a position: locals, parameters, fields and properties, in that order.</summary>
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

    /// <summary>The symbols of the wanted type that code at <paramref name="position"/> can read by their simple name.</summary>
    public static List<ScopeValue> Find(SemanticModel model, int position, System.Func<ITypeSymbol, bool> isWanted)
    {
        var instanceAccess = HasInstanceAccess(model, position);
        var enclosing = model.GetEnclosingSymbol(position);
        var locals = new List<ScopeValue>();
        var parameters = new List<ScopeValue>();
        var members = new List<ScopeValue>();

        foreach (var symbol in model.LookupSymbols(position))
        {
            switch (symbol)
            {
                case ILocalSymbol local when isWanted(local.Type) && IsDeclaredBefore(local, position):
                    locals.Add(Create(local, IsDeclaredNullable(local)));
                    break;
                case IParameterSymbol parameter when isWanted(parameter.Type):
                    parameters.Add(Create(parameter, parameter.NullableAnnotation == NullableAnnotation.Annotated));
                    break;
                case IFieldSymbol field when isWanted(field.Type) && (field.IsStatic || instanceAccess) && !field.IsImplicitlyDeclared:
                    members.Add(Create(field, field.NullableAnnotation == NullableAnnotation.Annotated));
                    break;
                case IPropertySymbol property when isWanted(property.Type) && (property.IsStatic || instanceAccess)
                    && !property.IsIndexer && property.GetMethod is not null
                    && !SymbolEqualityComparer.Default.Equals(property, enclosing)
                    && !SymbolEqualityComparer.Default.Equals(property.GetMethod, enclosing):
                    members.Add(Create(property, property.NullableAnnotation == NullableAnnotation.Annotated));
                    break;
            }
        }

        var all = new List<ScopeValue>(locals.Count + parameters.Count + members.Count);
        all.AddRange(locals);
        all.AddRange(parameters);
        all.AddRange(members);
        return all;
    }

    private static ScopeValue Create(ISymbol symbol, bool mayBeNull) =>
        new ScopeValue(symbol, symbol.Name, SyntaxFactory.IdentifierName(symbol.Name), mayBeNull);

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
