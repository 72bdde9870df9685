using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AgentBridge.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.FindSymbols;
using Microsoft.CodeAnalysis.Formatting;

namespace AgentBridge.CodeFixes.Infrastructure;

/// <summary>
/// Where a fix gets its <c>IAgentWebSocketBridgeFactory</c>: one already in scope, or one injected through the
/// constructor of the containing class (a <c>private readonly</c> field <c>_bridgeFactory</c> and a constructor
/// parameter <c>bridgeFactory</c>; a constructor is created when the class has none).
/// </summary>
internal sealed class FactoryInjection
{
    public const string FieldName = "_bridgeFactory";
    public const string ParameterName = "bridgeFactory";

    private readonly Target? _target;

    private FactoryInjection(ExpressionSyntax expression, Target? target)
    {
        Expression = expression;
        _target = target;
    }

    /// <summary>What <c>.Create(context)</c> is called on.</summary>
    public ExpressionSyntax Expression { get; }

    /// <summary>The class that gets the field and the constructor parameter, or <see langword="null"/> when a factory is in scope.</summary>
    public INamedTypeSymbol? InjectInto => _target?.Type;

    /// <summary>
    /// Whether a factory can be had at <paramref name="position"/>, decided cheaply for the lightbulb: one in scope, or a
    /// class whose own shape allows the injection and that this document neither constructs nor derives from (read from
    /// its syntax). The other documents of the solution are searched when the fix is applied (<see cref="PlanAsync"/>); if
    /// one constructs or derives from the class, the fix then leaves the code as it is.
    /// </summary>
    public static bool IsPossible(SemanticModel model, int position, AgentBridgeTypes types, CancellationToken cancellationToken)
    {
        if (types.BridgeFactory is null)
        {
            return false;
        }

        if (InScope(model, position, types, cancellationToken) is not null)
        {
            return true;
        }

        return Target.Find(model, position, cancellationToken) is { } target
            && !target.IsConstructedOrDerivedIn(model.SyntaxTree.GetRoot(cancellationToken));
    }

    /// <summary>How to get a factory at <paramref name="site"/>, or <see langword="null"/> when there is no safe way.</summary>
    public static async Task<FactoryInjection?> PlanAsync(DocumentFix fix, SyntaxNode site, IReadOnlyList<FactoryInjection> planned, CancellationToken cancellationToken)
    {
        if (fix.Types.BridgeFactory is null)
        {
            return null;
        }

        if (InScope(fix.Model, site.SpanStart, fix.Types, cancellationToken) is { } inScope)
        {
            return new FactoryInjection(inScope.Expression, null);
        }

        var target = Target.Find(fix.Model, site.SpanStart, cancellationToken);
        if (target is null)
        {
            return null;
        }

        var injection = new FactoryInjection(SyntaxFactory.IdentifierName(FieldName), target);
        if (planned.Any(p => SymbolEqualityComparer.Default.Equals(p.InjectInto, target.Type)))
        {
            return injection;
        }

        return await target.IsSafeAsync(fix.Document.Project.Solution, cancellationToken).ConfigureAwait(false) ? injection : null;
    }

    /// <summary>Adds the field and the constructor parameter (or the constructor) to the class.</summary>
    public void Apply(DocumentFix fix)
    {
        if (_target is null)
        {
            return;
        }

        var factoryType = fix.Types.BridgeFactory!;
        var generator = fix.Generator;
        var field = generator.FieldDeclaration(FieldName, fix.TypeName(factoryType), Accessibility.Private, DeclarationModifiers.ReadOnly)
            .WithAdditionalAnnotations(Formatter.Annotation);
        var assignment = generator.AssignmentStatement(generator.IdentifierName(FieldName), generator.IdentifierName(ParameterName))
            .WithAdditionalAnnotations(Formatter.Annotation);

        if (_target.Constructor is { } constructor)
        {
            fix.Editor.ReplaceNode(constructor, (node, g) =>
            {
                var parameter = g.ParameterDeclaration(ParameterName, fix.TypeName(factoryType));
                var withParameter = g.InsertParameters(node, RequiredParameterIndex((ConstructorDeclarationSyntax)node), new[] { parameter });
                return g.WithStatements(withParameter, new[] { assignment }.Concat(g.GetStatements(node)))
                    .WithAdditionalAnnotations(Formatter.Annotation);
            });
            fix.Editor.ReplaceNode(_target.Declaration, (node, g) => g.InsertMembers(node, AfterLastField(g, node), field));
            return;
        }

        var created = generator.ConstructorDeclaration(
                _target.Declaration.Identifier.ValueText,
                new[] { generator.ParameterDeclaration(ParameterName, fix.TypeName(factoryType)) },
                _target.Type.IsAbstract ? Accessibility.Protected : Accessibility.Public,
                statements: new[] { assignment })
            .WithLeadingTrivia(SyntaxFactory.ElasticCarriageReturnLineFeed)
            .WithAdditionalAnnotations(Formatter.Annotation);
        fix.Editor.ReplaceNode(_target.Declaration, (node, g) => g.InsertMembers(node, AfterLastField(g, node), field, created));
    }

    private static IEnumerable<ScopeValue> FactoriesInScope(SemanticModel model, int position, AgentBridgeTypes types, CancellationToken cancellationToken) =>
        ScopeLookup.Find(model, position, types.IsBridgeFactory, cancellationToken).Where(value => !value.MayBeNull);

    private static ScopeValue? InScope(SemanticModel model, int position, AgentBridgeTypes types, CancellationToken cancellationToken) =>
        FactoriesInScope(model, position, types, cancellationToken).FirstOrDefault();

    private static int AfterLastField(SyntaxGenerator generator, SyntaxNode declaration)
    {
        var members = generator.GetMembers(declaration);
        var index = 0;
        for (var i = 0; i < members.Count; i++)
        {
            if (generator.GetDeclarationKind(members[i]) == DeclarationKind.Field)
            {
                index = i + 1;
            }
        }

        return index;
    }

    /// <summary>A required parameter goes before the optional and <c>params</c> ones.</summary>
    private static int RequiredParameterIndex(ConstructorDeclarationSyntax constructor)
    {
        var parameters = constructor.ParameterList.Parameters;
        for (var i = 0; i < parameters.Count; i++)
        {
            if (parameters[i].Default is not null || parameters[i].Modifiers.Any(SyntaxKind.ParamsKeyword))
            {
                return i;
            }
        }

        return parameters.Count;
    }

    /// <summary>The class that would take the factory, and where.</summary>
    private sealed class Target
    {
        private Target(INamedTypeSymbol type, ClassDeclarationSyntax declaration, ConstructorDeclarationSyntax? constructor)
        {
            Type = type;
            Declaration = declaration;
            Constructor = constructor;
        }

        public INamedTypeSymbol Type { get; }

        /// <summary>The part of the class that gets the field (and the constructor, if it has none).</summary>
        public ClassDeclarationSyntax Declaration { get; }

        /// <summary>The class's one constructor, which gets the parameter; <see langword="null"/> to create one.</summary>
        public ConstructorDeclarationSyntax? Constructor { get; }

        /// <summary>The class at <paramref name="position"/> if its own shape allows the injection (symbols and syntax only).</summary>
        public static Target? Find(SemanticModel model, int position, CancellationToken cancellationToken)
        {
            if (!ScopeLookup.HasInstanceAccess(model, position))
            {
                return null;
            }

            var type = model.GetEnclosingSymbol(position, cancellationToken)?.ContainingType;
            if (type is null || type.TypeKind != TypeKind.Class || type.IsStatic || type.IsRecord || type.IsImplicitlyDeclared
                || !type.GetMembers(FieldName).IsEmpty)
            {
                return null;
            }

            // Every part in this document (Fix All runs per document: one field, one parameter), no primary constructor.
            var declarations = new List<ClassDeclarationSyntax>();
            foreach (var reference in type.DeclaringSyntaxReferences)
            {
                if (reference.SyntaxTree != model.SyntaxTree
                    || reference.GetSyntax(cancellationToken) is not ClassDeclarationSyntax declaration
                    || declaration.ParameterList is not null)
                {
                    return null;
                }

                declarations.Add(declaration);
            }

            var constructors = type.InstanceConstructors.Where(c => !c.IsImplicitlyDeclared).ToList();
            if (constructors.Count > 1)
            {
                return null;
            }

            if (constructors.Count == 0)
            {
                var part = declarations.FirstOrDefault(d => d.Span.Contains(position)) ?? declarations[0];
                return new Target(type, part, null);
            }

            if (constructors[0].DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is not ConstructorDeclarationSyntax { Body: not null, Parent: ClassDeclarationSyntax owner } existing
                || existing.ParameterList.Parameters.Any(p => p.Identifier.ValueText == ParameterName))
            {
                return null;
            }

            return new Target(type, owner, existing);
        }

        /// <summary>
        /// Whether the document writes <c>new TheClass(…)</c> or derives from it: each place its text has the class's name
        /// as a word is looked at in the syntax tree (no binding, no walk of the whole tree). What the lightbulb can see
        /// without searching the solution.
        /// </summary>
        public bool IsConstructedOrDerivedIn(SyntaxNode root)
        {
            var name = Type.Name;
            var text = root.SyntaxTree.GetText();
            for (var start = 0; start + name.Length <= text.Length; start++)
            {
                if (!IsWordAt(text, start, name))
                {
                    continue;
                }

                var token = root.FindToken(start);
                if (token.ValueText == name && token.Parent is SimpleNameSyntax simple && IsConstructionOrBaseType(simple))
                {
                    return true;
                }

                start += name.Length - 1;
            }

            return false;
        }

        private static bool IsWordAt(Microsoft.CodeAnalysis.Text.SourceText text, int start, string word)
        {
            for (var i = 0; i < word.Length; i++)
            {
                if (text[start + i] != word[i])
                {
                    return false;
                }
            }

            static bool IsIdentifierPart(char c) => char.IsLetterOrDigit(c) || c == '_';
            return (start == 0 || !IsIdentifierPart(text[start - 1]))
                && (start + word.Length == text.Length || !IsIdentifierPart(text[start + word.Length]));
        }

        private static bool IsConstructionOrBaseType(SimpleNameSyntax name)
        {
            SyntaxNode type = name;
            while (type.Parent is QualifiedNameSyntax or AliasQualifiedNameSyntax)
            {
                type = type.Parent;
            }

            return type.Parent is ObjectCreationExpressionSyntax creation && creation.Type == type
                || type.Parent is SimpleBaseTypeSyntax;
        }

        /// <summary>Adding a constructor parameter must not break anyone who constructs or derives from the class.</summary>
        public async Task<bool> IsSafeAsync(Solution solution, CancellationToken cancellationToken)
        {
            if ((await SymbolFinder.FindDerivedClassesAsync(Type, solution, transitive: false, cancellationToken: cancellationToken).ConfigureAwait(false)).Any())
            {
                return false;
            }

            foreach (var constructor in Type.InstanceConstructors)
            {
                var references = await SymbolFinder.FindReferencesAsync(constructor, solution, cancellationToken).ConfigureAwait(false);
                if (references.Any(r => r.Locations.Any()))
                {
                    return false;
                }
            }

            return true;
        }
    }
}
