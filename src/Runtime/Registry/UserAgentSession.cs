using System.Collections.Concurrent;
using AgentBridge.Diagnostics;
using Microsoft.Extensions.Logging;

namespace AgentBridge;

/// <summary>
/// One user's registered agents and the bridge they emit through. A session is wired when it has a manager
/// and a <see cref="UserExecutionContext"/> of its user; unwired, it sends nothing, ever.
/// </summary>
public sealed class UserAgentSession
{
    internal const string NoManagerReason = "no WebSocketConnectionManager has been set";
    internal const string NoContextReason = "the manager was set without a UserExecutionContext";

    private readonly ConcurrentDictionary<string, IAgent> _agents = new(StringComparer.Ordinal);
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private Wiring _wiring;

    internal UserAgentSession(UserExecutionContext userContext, ILogger logger)
    {
        UserId = userContext.UserId;
        _logger = logger;
        _wiring = new Wiring(null, userContext, null, NoManagerReason);
    }

    /// <summary>The session's user.</summary>
    public string UserId { get; }

    /// <summary>The context the session emits for.</summary>
    public UserExecutionContext UserContext => Volatile.Read(ref _wiring).Context;

    /// <summary>The session's bridge, or <see langword="null"/> while it is unwired.</summary>
    public AgentWebSocketBridge? Bridge => Volatile.Read(ref _wiring).Bridge;

    /// <summary>Whether the session can emit.</summary>
    public bool IsWired => Bridge is not null;

    /// <summary>Why the session is unwired, or <see langword="null"/>.</summary>
    public string? UnwiredReason => Volatile.Read(ref _wiring).UnwiredReason;

    /// <summary>The number of registered agents.</summary>
    public int AgentCount => _agents.Count;

    internal WebSocketConnectionManager? Manager => Volatile.Read(ref _wiring).Manager;

    /// <summary>
    /// Wires the session to <paramref name="manager"/> for <paramref name="userContext"/>. Without a context
    /// the session becomes unwired and nothing is sent for it (analyzer rule AGB0003); that is logged, not thrown.
    /// </summary>
    /// <param name="manager">The manager that owns the sockets.</param>
    /// <param name="userContext">The context of this session's user.</param>
    /// <returns>A completed task.</returns>
    /// <exception cref="ArgumentException"><paramref name="userContext"/> is for another user.</exception>
    public Task SetWebSocketManagerAsync(WebSocketConnectionManager manager, UserExecutionContext? userContext = null)
    {
        SetWebSocketManager(manager, userContext);
        return Task.CompletedTask;
    }

    /// <inheritdoc cref="SetWebSocketManagerAsync" />
    public void SetWebSocketManager(WebSocketConnectionManager manager, UserExecutionContext? userContext = null)
    {
        ArgumentNullException.ThrowIfNull(manager);
        if (userContext is null)
        {
            Log.WiredWithoutContext(_logger, "session");
            Apply(new Wiring(null, UserContext, null, NoContextReason));
            return;
        }

        if (!string.Equals(userContext.UserId, UserId, StringComparison.Ordinal))
        {
            throw new ArgumentException("The context is for another user than this session's; a session only emits to its own user.", nameof(userContext));
        }

        Apply(new Wiring(manager, userContext, new AgentWebSocketBridgeFactory(manager).Create(userContext), null));
        Log.SessionWired(_logger, userContext.ThreadId);
    }

    /// <summary>Registers an agent under a type name, replacing any agent registered under it.</summary>
    /// <param name="agentType">The name to find it by.</param>
    /// <param name="agent">The agent; an <see cref="IAgentBridgeAware"/> one receives the session's bridge.</param>
    /// <returns>A completed task.</returns>
    public Task RegisterAgentAsync(string agentType, IAgent agent)
    {
        if (string.IsNullOrWhiteSpace(agentType))
        {
            throw new ArgumentException("An agent type is required.", nameof(agentType));
        }

        ArgumentNullException.ThrowIfNull(agent);
        lock (_gate)
        {
            _agents[agentType] = agent;
            (agent as IAgentBridgeAware)?.SetBridge(Bridge);
        }

        return Task.CompletedTask;
    }

    /// <summary>Finds a registered agent.</summary>
    /// <param name="agentType">The name it was registered under.</param>
    /// <returns>The agent, or <see langword="null"/>.</returns>
    public Task<IAgent?> GetAgentAsync(string agentType)
    {
        ArgumentNullException.ThrowIfNull(agentType);
        return Task.FromResult(_agents.TryGetValue(agentType, out var agent) ? agent : null);
    }

    /// <summary>Wires the session for a registry that has a manager, keeping the session's own context.</summary>
    internal void Propagate(WebSocketConnectionManager manager)
    {
        var current = Volatile.Read(ref _wiring);
        if (current.Manager != manager)
        {
            SetWebSocketManager(manager, current.Context);
        }
    }

    private void Apply(Wiring wiring)
    {
        // Under the lock, so that every agent ends up with the bridge of the last wiring, whatever the interleaving.
        lock (_gate)
        {
            Volatile.Write(ref _wiring, wiring);
            foreach (var agent in _agents.Values)
            {
                (agent as IAgentBridgeAware)?.SetBridge(wiring.Bridge);
            }
        }
    }

    private sealed record Wiring(WebSocketConnectionManager? Manager, UserExecutionContext Context, AgentWebSocketBridge? Bridge, string? UnwiredReason);
}
