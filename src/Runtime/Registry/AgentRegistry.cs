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
public sealed class AgentRegistry
{
    private readonly ConcurrentDictionary<string, UserAgentSession> _sessions = new(StringComparer.Ordinal);
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private WebSocketConnectionManager? _manager;
    private int _callsWithoutContext;

    /// <summary>Creates a registry.</summary>
    /// <param name="loggerFactory">Where to log, or <see langword="null"/> for nowhere.</param>
    public AgentRegistry(ILoggerFactory? loggerFactory = null)
    {
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger<AgentRegistry>();
    }

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
        GetOrCreate(userContext).SetWebSocketManager(manager, userContext);
        foreach (var session in _sessions.Values)
        {
            session.Propagate(manager);
        }
    }

    /// <summary>Gets the user's session, creating it (wired, when the registry has a manager) on first use.</summary>
    /// <param name="userContext">The user's context.</param>
    /// <returns>The user's session.</returns>
    public Task<UserAgentSession> GetUserSessionAsync(UserExecutionContext userContext)
    {
        ArgumentNullException.ThrowIfNull(userContext);
        var session = GetOrCreate(userContext);
        if (Volatile.Read(ref _manager) is { } manager)
        {
            session.Propagate(manager);
        }

        return Task.FromResult(session);
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

    private UserAgentSession GetOrCreate(UserExecutionContext userContext) =>
        _sessions.GetOrAdd(
            userContext.UserId,
            static (_, state) => new UserAgentSession(state.userContext, state.Item2.CreateLogger<UserAgentSession>()),
            (userContext, _loggerFactory));
}
