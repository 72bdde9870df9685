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
    private long _lastUsedTicks;
    private bool _released;

    internal UserAgentSession(UserExecutionContext userContext, ILogger logger, long createdTicks)
    {
        UserId = userContext.UserId;
        _logger = logger;
        _wiring = new Wiring(null, userContext, null, NoManagerReason);
        _lastUsedTicks = createdTicks;
    }

    /// <summary>The session's user.</summary>
    public string UserId { get; }

    /// <summary>The context the session emits for.</summary>
    public UserExecutionContext UserContext => Volatile.Read(ref _wiring).Context;

    /// <summary>
    /// The session's bridge, or <see langword="null"/> while it is unwired. It emits with the ids of the newest
    /// context the session was asked for with; runs of one user that overlap use <see cref="CreateRunBridge"/>.
    /// </summary>
    public AgentWebSocketBridge? Bridge => Volatile.Read(ref _wiring).Bridge;

    /// <summary>Whether the session can emit.</summary>
    public bool IsWired => Bridge is not null;

    /// <summary>Why the session is unwired, or <see langword="null"/>.</summary>
    public string? UnwiredReason => Volatile.Read(ref _wiring).UnwiredReason;

    /// <summary>The number of registered agents.</summary>
    public int AgentCount => _agents.Count;

    internal WebSocketConnectionManager? Manager => Volatile.Read(ref _wiring).Manager;

    /// <summary>When the session was last used (<see cref="TimeProvider.GetTimestamp"/>), for the idle release.</summary>
    internal long LastUsedTicks => Interlocked.Read(ref _lastUsedTicks);

    /// <summary>
    /// Makes a bridge for one run of this session's user: its events carry that run's thread and run ids, however
    /// many runs of the user are under way at once.
    /// </summary>
    /// <param name="runContext">The run's context; it must be for this session's user.</param>
    /// <returns>A bridge for the run, from the session's manager.</returns>
    /// <exception cref="ArgumentException"><paramref name="runContext"/> is for another user.</exception>
    /// <exception cref="InvalidOperationException">The session is unwired (see <see cref="UnwiredReason"/>).</exception>
    public AgentWebSocketBridge CreateRunBridge(UserExecutionContext runContext)
    {
        ArgumentNullException.ThrowIfNull(runContext);
        RequireOwnUser(runContext, nameof(runContext));
        var manager = Manager ?? throw new InvalidOperationException(
            $"The session is unwired ({UnwiredReason}), so it has no bridge to give; wire it with SetWebSocketManager(manager, userContext).");
        return new AgentWebSocketBridgeFactory(manager).Create(runContext);
    }

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

        RequireOwnUser(userContext, nameof(userContext));
        Apply(new Wiring(manager, userContext, new AgentWebSocketBridgeFactory(manager).Create(userContext), null));
        Log.SessionWired(_logger, userContext.ThreadId);
    }

    /// <summary>Registers an agent under a type name, replacing any agent registered under it.</summary>
    /// <param name="agentType">The name to find it by.</param>
    /// <param name="agent">The agent; an <see cref="IAgentBridgeAware"/> one receives the session's bridge.</param>
    /// <returns>A completed task.</returns>
    public Task RegisterAgentAsync(string agentType, IAgent agent)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(agentType);
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

    /// <summary>
    /// Brings the session up to date: wired to the registry's manager when it has one, and to
    /// <paramref name="newerContext"/> when that names another run than the session's current context.
    /// </summary>
    internal void Propagate(WebSocketConnectionManager? manager, UserExecutionContext? newerContext)
    {
        var current = Volatile.Read(ref _wiring);
        var context = newerContext ?? current.Context;
        if (manager is not null && current.Manager != manager)
        {
            SetWebSocketManager(manager, context);
        }
        else if (current.Manager is { } own && context != current.Context)
        {
            SetWebSocketManager(own, context);
        }
        else if (current.Manager is null && context != current.Context)
        {
            // Unwired it stays; the diagnosis names the newest thread.
            Apply(current with { Context = context });
        }
    }

    /// <summary>Marks the session used now, unless it has been released.</summary>
    internal bool TryTouch(long nowTicks)
    {
        lock (_gate)
        {
            if (_released)
            {
                return false;
            }

            Interlocked.Exchange(ref _lastUsedTicks, nowTicks);
            return true;
        }
    }

    /// <summary>Marks the session used now (its user has a connection).</summary>
    internal void Touch(long nowTicks) => TryTouch(nowTicks);

    /// <summary>
    /// Marks the session released, once; with <paramref name="idleSince"/>, only if it was not used since then (a
    /// use that raced with the idle sweep keeps it).
    /// </summary>
    internal bool TryMarkReleased(long? idleSince)
    {
        lock (_gate)
        {
            if (_released || (idleSince is { } since && Interlocked.Read(ref _lastUsedTicks) > since))
            {
                return false;
            }

            _released = true;
            return true;
        }
    }

    private void RequireOwnUser(UserExecutionContext userContext, string parameterName)
    {
        if (!string.Equals(userContext.UserId, UserId, StringComparison.Ordinal))
        {
            throw new ArgumentException("The context is for another user than this session's; a session only emits to its own user.", parameterName);
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
