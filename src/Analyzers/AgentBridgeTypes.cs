using System;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AgentBridge.Analyzers;

/// <summary>
/// The AgentBridge runtime types and members the rules key on, resolved by metadata name once per compilation and
/// shared by every rule, with the team's own types from the AgentBridge types files. Comparisons are by symbol,
/// never by name: a user's own <c>AgentWebSocketBridge</c> is not ours.
/// </summary>
internal sealed class AgentBridgeTypes
{
    // One instance per compilation for all the rules: the types file is read, and the members resolved, once.
    private static readonly ConditionalWeakTable<Compilation, Cached> Cache = new ConditionalWeakTable<Compilation, Cached>();
    private static readonly ConditionalWeakTable<Compilation, Cached> RuntimeOnlyCache = new ConditionalWeakTable<Compilation, Cached>();

    private AgentBridgeTypes(Compilation compilation, INamedTypeSymbol manager, INamedTypeSymbol bridge, INamedTypeSymbol context, TeamTypes team)
    {
        Manager = manager;
        Bridge = bridge;
        UserContext = context;
        Team = team;
        FileNames = new FileNames(team.SendNames);
        var runtime = manager.ContainingAssembly;
        BridgeFactory = runtime.GetTypeByMetadataName("AgentBridge.IAgentWebSocketBridgeFactory");
        Registry = runtime.GetTypeByMetadataName("AgentBridge.AgentRegistry");
        Session = runtime.GetTypeByMetadataName("AgentBridge.UserAgentSession");
        Run = runtime.GetTypeByMetadataName("AgentBridge.AgentRun");

        ManagerSendMethods = MethodsNamed(manager, "SendToUserAsync", "SendToConnectionAsync", "BroadcastAsync");
        BridgeSendMethods = PublicInstanceMethods(bridge);
        FactoryCreate = BridgeFactory is null ? null : FirstMethod(BridgeFactory, "Create");
        SetManagerMethods = MethodsNamed(Registry, "SetWebSocketManagerAsync", "SetWebSocketManager")
            .AddRange(MethodsNamed(Session, "SetWebSocketManagerAsync", "SetWebSocketManager"));
        BeginRunMethods = MethodsNamed(bridge, "BeginRunAsync");
        AgentStartedMethods = MethodsNamed(bridge, "EmitAgentStartedAsync");
        AgentCompletedMethods = MethodsNamed(bridge, "EmitAgentCompletedAsync");
        ContextCreate = FirstMethod(context, "Create");
        UserContextUserId = FirstProperty(context, "UserId");
        BridgeUserContext = FirstProperty(bridge, "UserContext");

        // The runtime itself is the one place allowed to use the transport and the constructor.
        IsRuntimeItself = SymbolEqualityComparer.Default.Equals(manager.ContainingAssembly, compilation.Assembly);
    }

    public INamedTypeSymbol Manager { get; }

    public INamedTypeSymbol Bridge { get; }

    public INamedTypeSymbol UserContext { get; }

    /// <summary>The team's own send members and emitter types, from the AgentBridge types files.</summary>
    public TeamTypes Team { get; }

    /// <summary>Which names the rules look for each file has (read once per file).</summary>
    public FileNames FileNames { get; }

    public INamedTypeSymbol? BridgeFactory { get; }

    public INamedTypeSymbol? Registry { get; }

    public INamedTypeSymbol? Session { get; }

    public INamedTypeSymbol? Run { get; }

    public ImmutableArray<IMethodSymbol> ManagerSendMethods { get; }

    public ImmutableArray<IMethodSymbol> BridgeSendMethods { get; }

    public IMethodSymbol? FactoryCreate { get; }

    public ImmutableArray<IMethodSymbol> SetManagerMethods { get; }

    public ImmutableArray<IMethodSymbol> BeginRunMethods { get; }

    public ImmutableArray<IMethodSymbol> AgentStartedMethods { get; }

    public ImmutableArray<IMethodSymbol> AgentCompletedMethods { get; }

    /// <summary><c>UserExecutionContext.Create</c>.</summary>
    public IMethodSymbol? ContextCreate { get; }

    /// <summary><c>UserExecutionContext.UserId</c>.</summary>
    public IPropertySymbol? UserContextUserId { get; }

    /// <summary><c>AgentWebSocketBridge.UserContext</c>.</summary>
    public IPropertySymbol? BridgeUserContext { get; }

    /// <summary>Whether the compilation is the AgentBridge runtime itself.</summary>
    public bool IsRuntimeItself { get; }

    /// <summary>
    /// The types for an analyzer run, shared by every rule of that compilation, or <see langword="null"/> when the
    /// compilation does not reference the runtime.
    /// </summary>
    public static AgentBridgeTypes? Get(Compilation compilation, AnalyzerOptions options, CancellationToken cancellationToken)
    {
        // The rules start concurrently in a build: GetValue may run its factory once per caller, but only one Cached is
        // kept and returned to all, and its Lazy resolves the types and reads the types files once.
        var cached = Cache.GetValue(compilation, c => new Cached(options, () => Create(c, options, CancellationToken.None)));
        if (ReferenceEquals(cached.Options, options))
        {
            return cached.Types;
        }

        // The same compilation analyzed with other additional files (an edited types file in the IDE): not cached.
        return Create(compilation, options, cancellationToken);
    }

    /// <summary>The runtime's types without a team's own (what the code fixes need), or <see langword="null"/>; once per compilation.</summary>
    public static AgentBridgeTypes? TryCreate(Compilation compilation) =>
        RuntimeOnlyCache.GetValue(compilation, c => new Cached(options: null, () => Create(c, options: null, CancellationToken.None))).Types;

    private static AgentBridgeTypes? Create(Compilation compilation, AnalyzerOptions? options, CancellationToken cancellationToken)
    {
        // The manager from the whole compilation; the rest from the runtime assembly that defines it, which is quicker
        // than searching every reference again.
        var manager = compilation.GetTypeByMetadataName("AgentBridge.WebSocketConnectionManager");
        var bridge = manager?.ContainingAssembly.GetTypeByMetadataName("AgentBridge.AgentWebSocketBridge");
        var context = manager?.ContainingAssembly.GetTypeByMetadataName("AgentBridge.UserExecutionContext");
        if (manager is null || bridge is null || context is null)
        {
            return null;
        }

        var team = options is null ? TeamTypes.None : TeamTypes.Read(compilation, options.AdditionalFiles, cancellationToken);
        return new AgentBridgeTypes(compilation, manager, bridge, context, team);
    }

    /// <summary>A send member of the manager (<c>SendToUserAsync</c>, <c>SendToConnectionAsync</c>, <c>BroadcastAsync</c>).</summary>
    public bool IsManagerSend(IMethodSymbol method) =>
        SymbolEqualityComparer.Default.Equals(method.ContainingType, Manager) && Contains(ManagerSendMethods, method.OriginalDefinition);

    /// <summary>A direct send: the manager's, or one a types file lists as <c>send</c>.</summary>
    public bool IsDirectSend(IMethodSymbol method) => IsManagerSend(method) || Team.IsSend(method);

    /// <summary>An emitting member of the bridge (every public instance method: <c>Emit*Async</c>, <c>BeginRunAsync</c>, <c>RunAsync</c>).</summary>
    public bool IsBridgeSend(IMethodSymbol method) =>
        SymbolEqualityComparer.Default.Equals(method.ContainingType, Bridge) && Contains(BridgeSendMethods, method.OriginalDefinition);

    /// <summary>A call on the bridge path: the bridge's emitting members, or a public instance method of an <c>emitter</c> type.</summary>
    public bool IsEmitterSend(IMethodSymbol method) => IsBridgeSend(method) || Team.IsEmitterMethod(method);

    public bool IsSetManager(IMethodSymbol method) =>
        method.ContainingType is { } type
        && (SymbolEqualityComparer.Default.Equals(type, Registry) || SymbolEqualityComparer.Default.Equals(type, Session))
        && Contains(SetManagerMethods, method.OriginalDefinition);

    public bool IsBeginRun(IMethodSymbol method) =>
        SymbolEqualityComparer.Default.Equals(method.ContainingType, Bridge) && Contains(BeginRunMethods, method.OriginalDefinition);

    public bool IsAgentStarted(IMethodSymbol method) =>
        SymbolEqualityComparer.Default.Equals(method.ContainingType, Bridge) && Contains(AgentStartedMethods, method.OriginalDefinition);

    public bool IsAgentCompleted(IMethodSymbol method) =>
        SymbolEqualityComparer.Default.Equals(method.ContainingType, Bridge) && Contains(AgentCompletedMethods, method.OriginalDefinition);

    /// <summary>Whether <paramref name="method"/> is <c>IAgentWebSocketBridgeFactory.Create</c> or an implementation of it.</summary>
    public bool IsFactoryCreate(IMethodSymbol method)
    {
        // Every 'Create' of the compilation comes here: the return type decides first, in one comparison.
        if (FactoryCreate is null || method.Name != FactoryCreate.Name || !IsBridge(method.ReturnType))
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
    public bool IsBridge(ITypeSymbol? type) => DerivesFrom(type, Bridge);

    /// <summary>Whether <paramref name="type"/> is <paramref name="baseType"/> (any construction of it) or derives from it.</summary>
    public static bool DerivesFrom(ITypeSymbol? type, INamedTypeSymbol? baseType)
    {
        if (baseType is null)
        {
            return false;
        }

        for (var current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, baseType.OriginalDefinition))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="type"/> is a per-user emitter: the bridge (or a subclass), or an <c>emitter</c> of a types file.</summary>
    public bool IsEmitter(ITypeSymbol? type) => IsBridge(type) || Team.IsEmitter(type);

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

    public bool IsRun(ITypeSymbol? type) =>
        type is not null && Run is not null && SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, Run);

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

    /// <summary>The argument bound to the parameter at <paramref name="ordinal"/>, if any.</summary>
    public static IArgumentOperation? FindArgument(ImmutableArray<IArgumentOperation> arguments, int ordinal)
    {
        foreach (var argument in arguments)
        {
            if (argument.Parameter?.Ordinal == ordinal)
            {
                return argument;
            }
        }

        return null;
    }

    /// <summary>The value without the implicit and explicit conversions around it.</summary>
    public static IOperation WithoutConversions(IOperation value)
    {
        while (value is IConversionOperation conversion)
        {
            value = conversion.Operand;
        }

        return value;
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

    /// <summary>Every public instance method of <paramref name="type"/>: what emits, for an emitter.</summary>
    internal static ImmutableArray<IMethodSymbol> PublicInstanceMethods(INamedTypeSymbol type)
    {
        var builder = ImmutableArray.CreateBuilder<IMethodSymbol>();
        foreach (var member in type.GetMembers())
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

    private static IPropertySymbol? FirstProperty(INamedTypeSymbol type, string name)
    {
        foreach (var member in type.GetMembers(name))
        {
            if (member is IPropertySymbol property)
            {
                return property;
            }
        }

        return null;
    }

    private sealed class Cached
    {
        private readonly Lazy<AgentBridgeTypes?> _types;

        public Cached(AnalyzerOptions? options, Func<AgentBridgeTypes?> create)
        {
            Options = options;
            _types = new Lazy<AgentBridgeTypes?>(create, LazyThreadSafetyMode.ExecutionAndPublication);
        }

        public AnalyzerOptions? Options { get; }

        public AgentBridgeTypes? Types => _types.Value;
    }
}
