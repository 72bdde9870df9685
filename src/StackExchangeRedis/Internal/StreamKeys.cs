using StackExchange.Redis;

namespace AgentBridge.StackExchangeRedis;

/// <summary>
/// The names of a user's keys and channel. Each carries the user's hash tag, <c>prefix:{userId}:…</c>, so that Redis
/// Cluster keeps them on one slot: the Lua scripts touch them together, and the sharded channel lives on the same
/// shard as the stream it announces.
/// </summary>
internal sealed class StreamKeys(string prefix)
{
    /// <summary>The hash of the stream's epoch (<c>e</c>) and newest <c>seq</c> (<c>s</c>).</summary>
    public RedisKey Meta(string userId) => Key(userId, "m");

    /// <summary>The replay window: a Redis Stream whose entry ids are the <c>seq</c> numbers.</summary>
    public RedisKey Stream(string userId) => Key(userId, "s");

    /// <summary>Marks a broadcast as emitted for the user, so that the servers that each see one of the user's connections emit it once.</summary>
    public RedisKey Once(string userId, string broadcastId) => Key(userId, "b:" + broadcastId);

    /// <summary>The user's channel, on which every event of the user is announced.</summary>
    public string Channel(string userId) => prefix + ":{" + userId + "}:c";

    /// <summary>The channel on which servers hand each other broadcasts and events for connections they hold.</summary>
    public RedisChannel Control { get; } = RedisChannel.Literal(prefix + ":control");

    private RedisKey Key(string userId, string suffix) => prefix + ":{" + userId + "}:" + suffix;
}
