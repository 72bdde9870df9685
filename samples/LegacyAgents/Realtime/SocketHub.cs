using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace LegacyAgents.Realtime;

/// <summary>
/// The socket hub of the first version, before AgentBridge: it writes to whatever sockets a user id maps to. Listed in
/// AgentBridge.Types.txt as a direct send, so the rules see its callers as they see WebSocketConnectionManager's.
/// </summary>
public sealed class SocketHub
{
    private readonly ConcurrentDictionary<string, WebSocket> _sockets = new(StringComparer.Ordinal);

    public void Attach(string userId, WebSocket socket) => _sockets[userId] = socket;

    public Task PushAsync(string userId, object payload) =>
        _sockets.TryGetValue(userId, out var socket)
            ? socket.SendAsync(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(payload)), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None)
            : Task.CompletedTask;
}

/// <summary>The per-user notifier of the first version: it must be one per user (AgentBridge.Types.txt: an emitter).</summary>
public sealed class UserNotifier
{
    private readonly SocketHub _hub;
    private readonly string _userId;

    public UserNotifier(SocketHub hub, string userId)
    {
        _hub = hub;
        _userId = userId;
    }

    public Task NotifyAsync(string text) => _hub.PushAsync(_userId, new { type = "notice", text });
}
