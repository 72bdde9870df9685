using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
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

    /// <summary>The registrations, where the compilation has the service collection's extensions.</summary>
    public static void AddTo(List<InvocationRule> rules, AgentBridgeTypes types)
    {
        if (types.ServiceCollectionServiceExtensions is not null || types.ServiceCollectionDescriptorExtensions is not null)
        {
            rules.Add(new InvocationRule(Names, context => AnalyzeInvocation(context, types)));
        }
    }

    /// <summary>A static field or property (a symbol action on fields and properties).</summary>
    public static void AnalyzeMember(SymbolAnalysisContext context, AgentBridgeTypes types)
    {
        var symbol = context.Symbol;
        if (!symbol.IsStatic || symbol.IsImplicitlyDeclared || symbol.Locations.IsEmpty || !symbol.Locations[0].IsInSource)
        {
            return;
        }

        var type = symbol switch
        {
            IFieldSymbol field => field.Type,
            IPropertySymbol property => property.Type,
            _ => null,
        };

        if (HeldEmitter(type, types) is not { } emitter)
        {
            return;
        }

        var description = (symbol is IFieldSymbol ? "Static field '" : "Static property '") + symbol.Name + "'";
        context.ReportDiagnostic(Diagnostic.Create(Descriptors.AGB0002_SingletonBridge, symbol.Locations[0], description, emitter.Name));
    }

    /// <summary>The emitter type a member of type <paramref name="type"/> holds (itself, or in a <c>Lazy&lt;&gt;</c>), or <see langword="null"/>.</summary>
    private static ITypeSymbol? HeldEmitter(ITypeSymbol? type, AgentBridgeTypes types)
    {
        if (types.IsEmitter(type))
        {
            return type;
        }

        return type is INamedTypeSymbol { IsGenericType: true } named
            && types.Lazy is not null
            && SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, types.Lazy)
            && types.IsEmitter(named.TypeArguments[0])
            ? named.TypeArguments[0]
            : null;
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, AgentBridgeTypes types)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var method = invocation.TargetMethod;

        // The containing type first: one reference comparison for almost every invocation of the compilation.
        var containing = method.ContainingType?.OriginalDefinition;
        if (!SymbolEqualityComparer.Default.Equals(containing, types.ServiceCollectionServiceExtensions)
            && !SymbolEqualityComparer.Default.Equals(containing, types.ServiceCollectionDescriptorExtensions))
        {
            return;
        }

        var keyed = method.Name is "AddKeyedSingleton" or "TryAddKeyedSingleton";
        if (!keyed && method.Name is not ("AddSingleton" or "TryAddSingleton"))
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
