using System.Collections.Concurrent;

namespace AgentBridge.Transport;

/// <summary>
/// Counts each user's open event sockets on this server against a cap. A place is reserved before the socket joins
/// its stream, atomically, so upgrades racing for the last places never exceed the cap and never refuse one that fits.
/// </summary>
internal sealed class ConnectionCounter
{
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly int _limit;

    public ConnectionCounter(int limit)
    {
        _limit = limit;
    }

    /// <summary>Takes a place for the user, unless they already hold the limit.</summary>
    public bool TryReserve(string userId)
    {
        while (true)
        {
            if (_counts.TryGetValue(userId, out var count))
            {
                if (count >= _limit)
                {
                    return false;
                }

                if (_counts.TryUpdate(userId, count + 1, count))
                {
                    return true;
                }
            }
            else if (_counts.TryAdd(userId, 1))
            {
                return true;
            }
        }
    }

    /// <summary>Gives back a place taken by <see cref="TryReserve"/>; the user's entry goes with their last place.</summary>
    public void Release(string userId)
    {
        while (true)
        {
            var count = _counts[userId];
            if (count == 1
                ? _counts.TryRemove(new KeyValuePair<string, int>(userId, 1))
                : _counts.TryUpdate(userId, count - 1, count))
            {
                return;
            }
        }
    }
}
