using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AgentBridge.Analyzers;

/// <summary>
/// The AgentBridge runtime types and members the rules key on, resolved once per compilation by metadata
/// name. Comparisons are by symbol, never by name: a user's own <c>AgentWebSocketBridge</c> is not ours.
/// </summary>
internal sealed class AgentBridgeTypes
{
    private AgentBridgeTypes(Compilation compilation, INamedTypeSymbol manager, INamedTypeSymbol bridge, INamedTypeSymbol context)
    {
        Manager = manager;
        Bridge = bridge;
        UserContext = context;
        BridgeFactory = compilation.GetTypeByMetadataName("AgentBridge.IAgentWebSocketBridgeFactory");
        Registry = compilation.GetTypeByMetadataName("AgentBridge.AgentRegistry");
        Session = compilation.GetTypeByMetadataName("AgentBridge.UserAgentSession");
        Lazy = compilation.GetTypeByMetadataName("System.Lazy`1");
        ServiceCollectionServiceExtensions = compilation.GetTypeByMetadataName("Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions");
        ServiceCollectionDescriptorExtensions = compilation.GetTypeByMetadataName("Microsoft.Extensions.DependencyInjection.Extensions.ServiceCollectionDescriptorExtensions");

        ManagerSendMethods = MethodsNamed(manager, "SendToUserAsync", "SendToConnectionAsync", "BroadcastAsync");
        BridgeSendMethods = BridgeEmitters(bridge);
        FactoryCreate = BridgeFactory is null ? null : FirstMethod(BridgeFactory, "Create");
        SetManagerMethods = MethodsNamed(Registry, "SetWebSocketManagerAsync", "SetWebSocketManager")
            .AddRange(MethodsNamed(Session, "SetWebSocketManagerAsync", "SetWebSocketManager"));

        // The runtime itself is the one place allowed to use the transport and the constructor.
        IsRuntimeItself = SymbolEqualityComparer.Default.Equals(manager.ContainingAssembly, compilation.Assembly);
    }

    public INamedTypeSymbol Manager { get; }

    public INamedTypeSymbol Bridge { get; }

    public INamedTypeSymbol UserContext { get; }

    public INamedTypeSymbol? BridgeFactory { get; }

    public INamedTypeSymbol? Registry { get; }

    public INamedTypeSymbol? Session { get; }

    public INamedTypeSymbol? Lazy { get; }

    public INamedTypeSymbol? ServiceCollectionServiceExtensions { get; }

    public INamedTypeSymbol? ServiceCollectionDescriptorExtensions { get; }

    public ImmutableArray<IMethodSymbol> ManagerSendMethods { get; }

    public ImmutableArray<IMethodSymbol> BridgeSendMethods { get; }

    public IMethodSymbol? FactoryCreate { get; }

    public ImmutableArray<IMethodSymbol> SetManagerMethods { get; }

    /// <summary>Whether the compilation is the AgentBridge runtime itself.</summary>
    public bool IsRuntimeItself { get; }

    /// <summary>The types, or <see langword="null"/> when the compilation does not reference the runtime.</summary>
    public static AgentBridgeTypes? TryCreate(Compilation compilation)
    {
        var manager = compilation.GetTypeByMetadataName("AgentBridge.WebSocketConnectionManager");
        var bridge = compilation.GetTypeByMetadataName("AgentBridge.AgentWebSocketBridge");
        var context = compilation.GetTypeByMetadataName("AgentBridge.UserExecutionContext");
        if (manager is null || bridge is null || context is null)
        {
            return null;
        }

        return new AgentBridgeTypes(compilation, manager, bridge, context);
    }

    public bool IsManagerSend(IMethodSymbol method) => Contains(ManagerSendMethods, method.OriginalDefinition);

    public bool IsBridgeSend(IMethodSymbol method) => Contains(BridgeSendMethods, method.OriginalDefinition);

    public bool IsSetManager(IMethodSymbol method) => Contains(SetManagerMethods, method.OriginalDefinition);

    /// <summary>Whether <paramref name="method"/> is <c>IAgentWebSocketBridgeFactory.Create</c> or an implementation of it.</summary>
    public bool IsFactoryCreate(IMethodSymbol method)
    {
        if (FactoryCreate is null || method.Name != FactoryCreate.Name)
        {
            return false;
        }

        if (SymbolEqualityComparer.Default.Equals(method.OriginalDefinition, FactoryCreate))
        {
            return true;
        }

        var implementation = method.ContainingType?.FindImplementationForInterfaceMember(FactoryCreate);
        return SymbolEqualityComparer.Default.Equals(implementation, method.OriginalDefinition);
    }

    /// <summary>Whether <paramref name="type"/> is <c>AgentWebSocketBridge</c> or derives from it.</summary>
    public bool IsBridge(ITypeSymbol? type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, Bridge))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="type"/> is <c>IAgentWebSocketBridgeFactory</c> or implements it.</summary>
    public bool IsBridgeFactory(ITypeSymbol? type)
    {
        if (type is null || BridgeFactory is null)
        {
            return false;
        }

        if (SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, BridgeFactory))
        {
            return true;
        }

        foreach (var implemented in type.AllInterfaces)
        {
            if (SymbolEqualityComparer.Default.Equals(implemented.OriginalDefinition, BridgeFactory))
            {
                return true;
            }
        }

        return false;
    }

    public bool IsUserContext(ITypeSymbol? type) =>
        type is not null && SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, UserContext);

    /// <summary>Whether the value passed is the constant <see langword="null"/> (<c>null</c>, <c>default</c>, <c>null!</c>, casts of those).</summary>
    public static bool IsNullConstant(IOperation? value)
    {
        while (value is IConversionOperation conversion)
        {
            value = conversion.Operand;
        }

        if (value is null)
        {
            return false;
        }

        return value.ConstantValue.HasValue && value.ConstantValue.Value is null
            || value is IDefaultValueOperation && (value.Type is null || value.Type.IsReferenceType);
    }

    /// <summary>The argument bound to the parameter of the given type, if any.</summary>
    public static IArgumentOperation? FindArgument(ImmutableArray<IArgumentOperation> arguments, ITypeSymbol parameterType)
    {
        foreach (var argument in arguments)
        {
            if (argument.Parameter is { } parameter
                && SymbolEqualityComparer.Default.Equals(parameter.Type.OriginalDefinition, parameterType))
            {
                return argument;
            }
        }

        return null;
    }

    private static bool Contains(ImmutableArray<IMethodSymbol> methods, IMethodSymbol method)
    {
        foreach (var candidate in methods)
        {
            if (SymbolEqualityComparer.Default.Equals(candidate, method))
            {
                return true;
            }
        }

        return false;
    }

    private static ImmutableArray<IMethodSymbol> MethodsNamed(INamedTypeSymbol? type, params string[] names)
    {
        if (type is null)
        {
            return ImmutableArray<IMethodSymbol>.Empty;
        }

        var builder = ImmutableArray.CreateBuilder<IMethodSymbol>();
        foreach (var name in names)
        {
            foreach (var member in type.GetMembers(name))
            {
                if (member is IMethodSymbol method)
                {
                    builder.Add(method);
                }
            }
        }

        return builder.ToImmutable();
    }

    private static ImmutableArray<IMethodSymbol> BridgeEmitters(INamedTypeSymbol bridge)
    {
        // Every public instance method of the bridge emits (Emit*Async, BeginRunAsync, RunAsync).
        var builder = ImmutableArray.CreateBuilder<IMethodSymbol>();
        foreach (var member in bridge.GetMembers())
        {
            if (member is IMethodSymbol { MethodKind: MethodKind.Ordinary, IsStatic: false, DeclaredAccessibility: Accessibility.Public } method)
            {
                builder.Add(method);
            }
        }

        return builder.ToImmutable();
    }

    private static IMethodSymbol? FirstMethod(INamedTypeSymbol type, string name)
    {
        foreach (var member in type.GetMembers(name))
        {
            if (member is IMethodSymbol method)
            {
                return method;
            }
        }

        return null;
    }
}
