using System.Text;
using StackExchange.Redis;

namespace AgentBridge.StackExchangeRedis;

/// <summary>
/// One user's subscription on this server, alive while the server holds a connection of the user. Its gate orders
/// everything written to the user's connections: live events from the channel, gap fills from the window, catch-ups
/// after a reconnect, and resume answers.
/// </summary>
internal sealed class UserFeed(string userId, RedisChannel channel)
{
    private byte[] _epochUtf8 = [];

    public string UserId { get; } = userId;

    public RedisChannel Channel { get; } = channel;

    /// <summary>Held while writing to the user's connections or moving <see cref="Cursor"/>.</summary>
    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>Copy-on-write under the feed's monitor, so fan-out iterates without copying.</summary>
    public AgentEventConnection[] Connections { get; set; } = [];

    /// <summary>Set, under the feed's monitor, once its last connection left or its subscription failed: a new one replaces it.</summary>
    public bool Removed { get; set; }

    /// <summary>The subscription and the first read of the stream's head; set once, under the feed's monitor.</summary>
    public Task? Ready { get; set; }

    public ChannelMessageQueue? Queue { get; set; }

    /// <summary>The epoch of the stream the connections are following (under <see cref="Gate"/>).</summary>
    public string Epoch { get; private set; } = string.Empty;

    /// <summary>The newest <c>seq</c> written to the connections, or skipped as theirs to resume (under <see cref="Gate"/>).</summary>
    public long Cursor { get; set; }

    public void Follow(string epoch, long cursor)
    {
        if (!string.Equals(epoch, Epoch, StringComparison.Ordinal))
        {
            Epoch = epoch;
            _epochUtf8 = Encoding.UTF8.GetBytes(epoch);
        }

        Cursor = cursor;
    }

    public bool IsEpoch(ReadOnlySpan<byte> epochUtf8) => epochUtf8.SequenceEqual(_epochUtf8);

    /// <summary>Writes one event to the user's connections here (or to its one target connection).</summary>
    public void Write(AgentEventFrame frame, string? target)
    {
        foreach (var connection in Connections)
        {
            if (target is null || string.Equals(connection.ConnectionId, target, StringComparison.Ordinal))
            {
                connection.TryWriteEvent(frame);
            }
        }

        Cursor = frame.Seq;
    }

    /// <summary>Closes every connection but <paramref name="except"/> with <see cref="AgentBridgeCloseCodes.StreamReset"/>.</summary>
    public void Reset(string reason, AgentEventConnection? except = null)
    {
        foreach (var connection in Connections)
        {
            if (!ReferenceEquals(connection, except))
            {
                connection.Close(AgentBridgeCloseCodes.StreamReset, reason);
            }
        }
    }
}
