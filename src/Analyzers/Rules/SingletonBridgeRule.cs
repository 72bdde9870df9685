using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AgentBridge.Analyzers.Rules;

/// <summary>
/// AGB0002: an <c>AgentWebSocketBridge</c> (or an <c>emitter</c> of an AgentBridge types file) held as a singleton —
/// a static field or property of that type or of <c>Lazy&lt;&gt;</c> of it, or an <c>AddSingleton</c> /
/// <c>TryAddSingleton</c> (or keyed) registration of it in any form.
/// </summary>
internal static class SingletonBridgeRule
{
    private static readonly ulong Names = FileNames.Set(FileNames.AddSingleton, FileNames.AddKeyedSingleton);

    private static readonly FrameworkType LazyType = new FrameworkType("System.Lazy`1");
    private static readonly FrameworkType ServiceExtensions = new FrameworkType("Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions");
    private static readonly FrameworkType DescriptorExtensions = new FrameworkType("Microsoft.Extensions.DependencyInjection.Extensions.ServiceCollectionDescriptorExtensions");

    /// <summary>The registrations: calls written with their names.</summary>
    public static void AddTo(List<InvocationRule> rules, AgentBridgeTypes types) =>
        rules.Add(new InvocationRule(Names, context => AnalyzeInvocation(context, types)));

    /// <summary>
    /// The static fields and properties of <paramref name="type"/> that hold an emitter, or <see langword="null"/>: at the
    /// type's start, its declarations are read for a <c>static</c> field or property (most types have none), and only
    /// then its members' types, instead of a callback for every field and property of the compilation. Only such a type
    /// then watches its declarations (<see cref="AnalyzeDeclaration"/>), which also leaves generated code out.
    /// </summary>
    public static (ISymbol Symbol, ITypeSymbol Emitter)[]? HeldEmitters(INamedTypeSymbol type, AgentBridgeTypes types, CancellationToken cancellationToken)
    {
        if (!DeclaresStaticMember(type, cancellationToken))
        {
            return null;
        }

        List<(ISymbol Symbol, ITypeSymbol Emitter)>? held = null;
        foreach (var member in type.GetMembers())
        {
            if (member.IsStatic && !member.IsImplicitlyDeclared && !member.Locations.IsEmpty
                && HeldEmitter(TypeOf(member), types) is { } emitter)
            {
                (held ??= new List<(ISymbol Symbol, ITypeSymbol Emitter)>()).Add((member, emitter));
            }
        }

        return held?.ToArray();
    }

    /// <summary>Whether a declaration of <paramref name="type"/> has a field or property written <c>static</c>.</summary>
    private static bool DeclaresStaticMember(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is not TypeDeclarationSyntax declaration)
            {
                // Top-level statements: their program declares no field or property there.
                continue;
            }

            foreach (var member in declaration.Members)
            {
                var modifiers = member switch
                {
                    BaseFieldDeclarationSyntax field => field.Modifiers,
                    BasePropertyDeclarationSyntax property => property.Modifiers,
                    _ => default,
                };

                if (modifiers.Any(SyntaxKind.StaticKeyword))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// A field or property declaration of a type with <see cref="HeldEmitters"/>: reports those declared by it (the
    /// callback runs for declarations outside generated code only).
    /// </summary>
    public static void AnalyzeDeclaration(SyntaxNodeAnalysisContext context, (ISymbol Symbol, ITypeSymbol Emitter)[] held)
    {
        var node = context.Node;
        foreach (var (symbol, emitter) in held)
        {
            var location = symbol.Locations[0];
            if (location.SourceTree == node.SyntaxTree && node.Span.Contains(location.SourceSpan))
            {
                var description = (symbol is IFieldSymbol ? "Static field '" : "Static property '") + symbol.Name + "'";
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.AGB0002_SingletonBridge, location, description, emitter.Name));
            }
        }
    }

    private static ITypeSymbol? TypeOf(ISymbol member) => member switch
    {
        IFieldSymbol field => field.Type,
        IPropertySymbol property => property.Type,
        _ => null,
    };

    /// <summary>The emitter type a member of type <paramref name="type"/> holds (itself, or in a <c>Lazy&lt;&gt;</c>), or <see langword="null"/>.</summary>
    private static ITypeSymbol? HeldEmitter(ITypeSymbol? type, AgentBridgeTypes types)
    {
        if (types.IsEmitter(type))
        {
            return type;
        }

        return type is INamedTypeSymbol { IsGenericType: true } named
            && LazyType.Is(named)
            && types.IsEmitter(named.TypeArguments[0])
            ? named.TypeArguments[0]
            : null;
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, AgentBridgeTypes types)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var method = invocation.TargetMethod;

        // The name first: most calls written 'AddSingleton' are the service collection's, but any method may be so named.
        var keyed = method.Name is "AddKeyedSingleton" or "TryAddKeyedSingleton";
        if (!keyed && method.Name is not ("AddSingleton" or "TryAddSingleton"))
        {
            return;
        }

        var containing = method.ContainingType;
        if (!ServiceExtensions.Is(containing) && !DescriptorExtensions.Is(containing))
        {
            return;
        }

        var registered = RegisteredEmitter(invocation, types);
        if (registered is null)
        {
            return;
        }

        // AddAgentBridge() replaces a registration of the AgentBridge bridge; a keyed one, or a team's own emitter, needs a design.
        var properties = !keyed && types.IsBridge(registered) ? DiagnosticProperties.AddAgentBridge : DiagnosticProperties.None;
        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.AGB0002_SingletonBridge,
            invocation.Syntax.GetLocation(),
            properties,
            "The '" + method.Name + "' registration",
            registered.Name));
    }

    /// <summary>The emitter type the registration registers, or <see langword="null"/>.</summary>
    private static ITypeSymbol? RegisteredEmitter(IInvocationOperation invocation, AgentBridgeTypes types)
    {
        // Generic forms: AddSingleton<AgentWebSocketBridge>(), <TService, TImplementation>, instance, factory.
        foreach (var typeArgument in invocation.TargetMethod.TypeArguments)
        {
            if (types.IsEmitter(typeArgument))
            {
                return typeArgument;
            }
        }

        // Type forms: AddSingleton(typeof(AgentWebSocketBridge)), (Type, Type), (Type, object), (Type, Func<...>).
        foreach (var argument in invocation.Arguments)
        {
            var value = argument.Value;
            while (value is IConversionOperation conversion)
            {
                value = conversion.Operand;
            }

            if (value is ITypeOfOperation typeOf && types.IsEmitter(typeOf.TypeOperand))
            {
                return typeOf.TypeOperand;
            }
        }

        return null;
    }
}
