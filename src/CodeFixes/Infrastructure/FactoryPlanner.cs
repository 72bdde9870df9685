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
internal sealed class FactoryPlan
{
    public const string FieldName = "_bridgeFactory";
    public const string ParameterName = "bridgeFactory";

    private FactoryPlan(ExpressionSyntax expression, INamedTypeSymbol? injectInto, TypeDeclarationSyntax? declaration, ConstructorDeclarationSyntax? constructor)
    {
        Expression = expression;
        InjectInto = injectInto;
        Declaration = declaration;
        Constructor = constructor;
    }

    /// <summary>What <c>.Create(context)</c> is called on.</summary>
    public ExpressionSyntax Expression { get; }

    /// <summary>The class that gets the field and constructor parameter, or <see langword="null"/> when a factory is in scope.</summary>
    public INamedTypeSymbol? InjectInto { get; }

    public TypeDeclarationSyntax? Declaration { get; }

    /// <summary>The constructor that gets the parameter, or <see langword="null"/> to create one.</summary>
    public ConstructorDeclarationSyntax? Constructor { get; }

    /// <summary>How to get a factory at <paramref name="site"/>, or <see langword="null"/> when there is no safe way.</summary>
    public static async Task<FactoryPlan?> CreateAsync(Document document, SemanticModel model, SyntaxNode site, AgentBridgeTypes types, CancellationToken cancellationToken)
    {
        if (types.BridgeFactory is null)
        {
            return null;
        }

        var inScope = ScopeLookup.Find(model, site.SpanStart, types.IsBridgeFactory).FirstOrDefault(value => !value.MayBeNull);
        if (inScope is not null)
        {
            return new FactoryPlan(inScope.Expression, null, null, null);
        }

        if (!ScopeLookup.HasInstanceAccess(model, site.SpanStart))
        {
            return null;
        }

        var type = model.GetEnclosingSymbol(site.SpanStart, cancellationToken)?.ContainingType;
        if (type is null || type.TypeKind != TypeKind.Class || type.IsStatic || type.IsRecord || type.IsImplicitlyDeclared
            || !type.GetMembers(FieldName).IsEmpty)
        {
            return null;
        }

        // Every part in this document (Fix All runs per document: one field, one parameter), no primary constructor.
        var declarations = new List<TypeDeclarationSyntax>();
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            if (reference.SyntaxTree != model.SyntaxTree
                || await reference.GetSyntaxAsync(cancellationToken).ConfigureAwait(false) is not ClassDeclarationSyntax declaration
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

        // Adding a constructor parameter must not break anyone who constructs or derives from the class.
        var solution = document.Project.Solution;
        if ((await SymbolFinder.FindDerivedClassesAsync(type, solution, transitive: false, cancellationToken: cancellationToken).ConfigureAwait(false)).Any())
        {
            return null;
        }

        foreach (var constructor in type.InstanceConstructors)
        {
            var references = await SymbolFinder.FindReferencesAsync(constructor, solution, cancellationToken).ConfigureAwait(false);
            if (references.Any(r => r.Locations.Any()))
            {
                return null;
            }
        }

        var field = SyntaxFactory.IdentifierName(FieldName);
        if (constructors.Count == 0)
        {
            var part = site.Ancestors().OfType<ClassDeclarationSyntax>().FirstOrDefault(d => declarations.Contains(d)) ?? declarations[0];
            return new FactoryPlan(field, type, part, null);
        }

        var existing = await constructors[0].DeclaringSyntaxReferences[0].GetSyntaxAsync(cancellationToken).ConfigureAwait(false) as ConstructorDeclarationSyntax;
        if (existing?.Body is null || existing.Parent is not ClassDeclarationSyntax owner
            || existing.ParameterList.Parameters.Any(p => p.Identifier.ValueText == ParameterName))
        {
            return null;
        }

        return new FactoryPlan(field, type, owner, existing);
    }

    /// <summary>Adds the field and the constructor parameter for every distinct class among <paramref name="plans"/>.</summary>
    public static void ApplyInjections(SyntaxEditor editor, IEnumerable<FactoryPlan> plans, string factoryTypeName)
    {
        var newLine = NewLineOf(editor.OriginalRoot);
        var done = new HashSet<INamedTypeSymbol>(SymbolEqualityComparer.Default);
        foreach (var plan in plans)
        {
            if (plan.InjectInto is null || plan.Declaration is null || !done.Add(plan.InjectInto))
            {
                continue;
            }

            var field = ((FieldDeclarationSyntax)SyntaxFactory.ParseMemberDeclaration(
                    $"private readonly {factoryTypeName} {FieldName};")!)
                .WithTrailingTrivia(newLine)
                .WithAdditionalAnnotations(Formatter.Annotation);

            if (plan.Constructor is { } constructor)
            {
                editor.ReplaceNode(constructor, (node, _) => AddParameter((ConstructorDeclarationSyntax)node, factoryTypeName, newLine));
                editor.ReplaceNode(plan.Declaration, (node, _) => InsertMembers((TypeDeclarationSyntax)node, field, null, newLine));
            }
            else
            {
                var accessibility = plan.InjectInto.IsAbstract ? "protected" : "public";
                var created = ((ConstructorDeclarationSyntax)SyntaxFactory.ParseMemberDeclaration(
                        $"{accessibility} {plan.Declaration.Identifier.ValueText}({factoryTypeName} {ParameterName}){newLine}{{{newLine}{FieldName} = {ParameterName};{newLine}}}")!)
                    .WithLeadingTrivia(newLine)
                    .WithTrailingTrivia(newLine)
                    .WithAdditionalAnnotations(Formatter.Annotation);
                editor.ReplaceNode(plan.Declaration, (node, _) => InsertMembers((TypeDeclarationSyntax)node, field, created, newLine));
            }
        }
    }

    /// <summary>The line break the file already uses.</summary>
    public static SyntaxTrivia NewLineOf(SyntaxNode root)
    {
        foreach (var trivia in root.DescendantTrivia())
        {
            if (trivia.IsKind(SyntaxKind.EndOfLineTrivia))
            {
                return trivia;
            }
        }

        return SyntaxFactory.LineFeed;
    }

    private static TypeDeclarationSyntax InsertMembers(TypeDeclarationSyntax declaration, FieldDeclarationSyntax field, ConstructorDeclarationSyntax? constructor, SyntaxTrivia newLine)
    {
        var members = declaration.Members;
        var lastField = -1;
        for (var i = 0; i < members.Count; i++)
        {
            if (members[i] is FieldDeclarationSyntax)
            {
                lastField = i;
            }
        }

        var index = lastField + 1;
        members = members.Insert(index, field);
        if (constructor is not null)
        {
            members = members.Insert(index + 1, constructor);

            // Keep a blank line between the new constructor and the member after it.
            if (index + 2 < members.Count)
            {
                var next = members[index + 2];
                var leading = next.GetLeadingTrivia();
                if (!leading.Any(t => t.IsKind(SyntaxKind.EndOfLineTrivia)))
                {
                    members = members.Replace(next, next.WithLeadingTrivia(leading.Insert(0, newLine)));
                }
            }
        }

        return declaration.WithMembers(members);
    }

    private static ConstructorDeclarationSyntax AddParameter(ConstructorDeclarationSyntax constructor, string factoryTypeName, SyntaxTrivia newLine)
    {
        var parameter = SyntaxFactory.Parameter(SyntaxFactory.Identifier(ParameterName))
            .WithType(SyntaxFactory.ParseTypeName(factoryTypeName).WithTrailingTrivia(SyntaxFactory.Space));

        // A required parameter goes before the optional and params ones.
        var parameters = constructor.ParameterList.Parameters;
        var index = parameters.Count;
        for (var i = 0; i < parameters.Count; i++)
        {
            if (parameters[i].Default is not null || parameters[i].Modifiers.Any(SyntaxKind.ParamsKeyword))
            {
                index = i;
                break;
            }
        }

        var newParameters = parameters.Insert(index, parameter);
        var assignment = SyntaxFactory.ParseStatement($"{FieldName} = {ParameterName};")
            .WithTrailingTrivia(newLine)
            .WithAdditionalAnnotations(Formatter.Annotation);
        var body = constructor.Body!;
        var newBody = body.WithStatements(body.Statements.Insert(0, assignment)).WithAdditionalAnnotations(Formatter.Annotation);

        return constructor
            .WithParameterList(constructor.ParameterList.WithParameters(newParameters).WithAdditionalAnnotations(Formatter.Annotation))
            .WithBody(newBody);
    }
}
