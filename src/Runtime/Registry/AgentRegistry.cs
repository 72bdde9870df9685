using System.Collections.Concurrent;
using AgentBridge.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentBridge;

/// <summary>
/// Holds one <see cref="UserAgentSession"/> per user, each with its own bridge. Registered as a singleton by
/// <c>AddAgentBridge</c>: it holds no per-user state outside its per-user map, and every member is safe to
/// call concurrently for many users.
/// </summary>
/// <remarks>
/// Sessions do not live forever: <see cref="RemoveUserSession"/> releases one, and a session that has not been
/// used for <see cref="AgentBridgeOptions.SessionIdleTimeout"/> while its user had no connection on this server is
/// released by itself. A released session's agents are dropped with it; the next
/// <see cref="GetUserSessionAsync"/> of that user starts a new session.
/// </remarks>
public sealed class AgentRegistry : IDisposable
{
    private readonly ConcurrentDictionary<string, UserAgentSession> _sessions = new(StringComparer.Ordinal);
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly AgentBridgeMetrics _metrics;
    private readonly bool _ownsMetrics;
    private readonly TimeProvider _time;
    private readonly long _idleTicks;
    private readonly WebSocketConnectionManager? _connections;
    private readonly ITimer? _sweeper;
    private WebSocketConnectionManager? _manager;
    private int _callsWithoutContext;

    /// <summary>Creates a registry with the default <see cref="AgentBridgeOptions.SessionIdleTimeout"/>.</summary>
    /// <param name="loggerFactory">Where to log, or <see langword="null"/> for nowhere.</param>
    public AgentRegistry(ILoggerFactory? loggerFactory = null)
        : this(new AgentBridgeOptions(), loggerFactory ?? NullLoggerFactory.Instance, new AgentBridgeMetrics(meterFactory: null), TimeProvider.System, connections: null)
    {
        _ownsMetrics = true;
    }

    internal AgentRegistry(AgentBridgeOptions options, ILoggerFactory loggerFactory, AgentBridgeMetrics metrics, TimeProvider time, WebSocketConnectionManager? connections)
    {
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<AgentRegistry>();
        _metrics = metrics;
        _time = time;
        _connections = connections;
        if (options.SessionIdleTimeout != Timeout.InfiniteTimeSpan)
        {
            _idleTicks = (long)(options.SessionIdleTimeout.TotalSeconds * time.TimestampFrequency);
            var sweepEvery = TimeSpan.FromTicks(Math.Clamp(options.SessionIdleTimeout.Ticks / 4, TimeSpan.TicksPerSecond, TimeSpan.TicksPerMinute));
            _sweeper = time.CreateTimer(static state => ((AgentRegistry)state!).ReleaseIdleSessions(), this, sweepEvery, sweepEvery);
        }
    }

    /// <summary>The number of sessions held now.</summary>
    public int SessionCount => _sessions.Count;

    /// <summary>
    /// Sets the manager for <paramref name="userContext"/>'s session and, from then on, for every session:
    /// those that exist and those created later, each wired for its own user. Without a context nothing is
    /// wired and nothing will be sent (analyzer rule AGB0003); the call is logged and counted in
    /// <see cref="DiagnoseWebSocketWiring"/>, never thrown.
    /// </summary>
    /// <param name="manager">The manager that owns the sockets.</param>
    /// <param name="userContext">The user whose session to wire.</param>
    /// <returns>A completed task.</returns>
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
            Interlocked.Increment(ref _callsWithoutContext);
            Log.WiredWithoutContext(_logger, "registry");
            return;
        }

        Interlocked.Exchange(ref _manager, manager);
        Acquire(userContext).SetWebSocketManager(manager, userContext);
        foreach (var session in _sessions.Values)
        {
            session.Propagate(manager, newerContext: null);
        }
    }

    /// <summary>
    /// Gets the user's session, creating it (wired, when the registry has a manager) on first use. A wired session
    /// asked for with a context of another run is re-wired to it, so that <see cref="UserAgentSession.Bridge"/>
    /// and the session's agents emit with the ids of the newest run; runs of one user that overlap take a bridge
    /// of their own from <see cref="UserAgentSession.CreateRunBridge"/>.
    /// </summary>
    /// <param name="userContext">The user's context.</param>
    /// <returns>The user's session.</returns>
    public Task<UserAgentSession> GetUserSessionAsync(UserExecutionContext userContext)
    {
        ArgumentNullException.ThrowIfNull(userContext);
        var session = Acquire(userContext);
        session.Propagate(Volatile.Read(ref _manager), userContext);
        return Task.FromResult(session);
    }

    /// <summary>Releases a user's session and the agents registered in it, at once.</summary>
    /// <param name="userId">The user.</param>
    /// <returns><see langword="true"/> when a session was released.</returns>
    public bool RemoveUserSession(string userId)
    {
        ArgumentNullException.ThrowIfNull(userId);
        return _sessions.TryGetValue(userId, out var session) && Release(session, idleSince: null);
    }

    /// <summary>Reports every session: wired or not and why, with the user's connection count.</summary>
    /// <returns>The report.</returns>
    public WebSocketWiringReport DiagnoseWebSocketWiring()
    {
        var sessions = _sessions.Values
            .Select(s =>
            {
                var manager = s.Manager;
                return new SessionWiring(
                    s.UserId,
                    s.UserContext.ThreadId,
                    s.IsWired,
                    s.UnwiredReason,
                    manager?.GetConnectionCount(s.UserId) ?? 0,
                    s.AgentCount);
            })
            .OrderBy(s => s.UserId, StringComparer.Ordinal)
            .ToList();
        return new WebSocketWiringReport(Volatile.Read(ref _manager) is not null, Volatile.Read(ref _callsWithoutContext), sessions);
    }

    /// <summary>Stops releasing idle sessions; the sessions held stay.</summary>
    public void Dispose()
    {
        _sweeper?.Dispose();
        if (_ownsMetrics)
        {
            _metrics.Dispose();
        }
    }

    /// <summary>Releases the sessions nobody used for the idle timeout whose user has no connection here.</summary>
    internal void ReleaseIdleSessions()
    {
        var now = _time.GetTimestamp();
        foreach (var session in _sessions.Values)
        {
            if (now - session.LastUsedTicks < _idleTicks)
            {
                continue;
            }

            if (HasConnections(session))
            {
                session.Touch(now);
                continue;
            }

            if (Release(session, idleSince: now - _idleTicks))
            {
                Log.SessionReleased(_logger, "idle");
            }
        }
    }

    /// <summary>Gets the user's live session or makes one; never one that is being released.</summary>
    private UserAgentSession Acquire(UserExecutionContext userContext)
    {
        while (true)
        {
            var session = _sessions.GetOrAdd(
                userContext.UserId,
                static (_, state) => state.registry.Create(state.userContext),
                (registry: this, userContext));
            if (session.TryTouch(_time.GetTimestamp()))
            {
                return session;
            }

            // Released between the lookup and the touch: the map no longer holds it, so the next round makes a new one.
        }
    }

    private UserAgentSession Create(UserExecutionContext userContext)
    {
        _metrics.LiveSessions.Add(1);
        return new UserAgentSession(userContext, _loggerFactory.CreateLogger<UserAgentSession>(), _time.GetTimestamp());
    }

    private bool Release(UserAgentSession session, long? idleSince)
    {
        if (!session.TryMarkReleased(idleSince))
        {
            return false;
        }

        _sessions.TryRemove(new KeyValuePair<string, UserAgentSession>(session.UserId, session));
        _metrics.LiveSessions.Add(-1);
        return true;
    }

    private bool HasConnections(UserAgentSession session) =>
        (session.Manager ?? _connections ?? Volatile.Read(ref _manager))?.GetConnectionCount(session.UserId) > 0;
}
