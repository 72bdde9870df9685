using StackExchange.Redis;

namespace AgentBridge.StackExchangeRedis;

/// <summary>Options of the Redis scale-out, set through <c>AddAgentBridge().AddStackExchangeRedis(..., options =&gt; ...)</c>.</summary>
public sealed class AgentBridgeRedisOptions
{
    /// <summary>
    /// The StackExchange.Redis configuration (endpoints, password, TLS, ...). AgentBridge applies three settings of
    /// its own to a copy: <c>AbortOnConnectFail = false</c> (the app starts while Redis is down),
    /// <c>BacklogPolicy.FailFast</c> (an emit while Redis is unreachable fails at once instead of waiting), and
    /// <c>AsyncTimeout</c>/<c>SyncTimeout</c> from <see cref="OperationTimeout"/>.
    /// </summary>
    public ConfigurationOptions Configuration { get; set; } = new();

    /// <summary>
    /// Creates the connection instead of <c>ConnectionMultiplexer.ConnectAsync(Configuration)</c>, e.g. to share one
    /// with the rest of the app; it receives a writer for the connection log. The connection should fail fast while
    /// Redis is unreachable, as <see cref="Configuration"/> would.
    /// </summary>
    public Func<TextWriter, Task<IConnectionMultiplexer>>? ConnectionFactory { get; set; }

    /// <summary>
    /// The prefix of every key and channel, so that several apps share one Redis. Default <c>agentbridge</c>. It may
    /// not contain <c>{</c> or <c>}</c>: each user's keys carry the user's own hash tag, <c>prefix:{userId}:…</c>.
    /// </summary>
    public string Prefix { get; set; } = "agentbridge";

    /// <summary>
    /// How long an emit, a resume or a new connection may wait for Redis before it fails with
    /// <see cref="AgentBridgeUnavailableException"/>. Default 5 seconds. While Redis cannot be reached at all they fail
    /// at once.
    /// </summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Whether a user's events fan out over sharded pub/sub (<c>SPUBLISH</c>/<c>SSUBSCRIBE</c>), which stays on the
    /// user's shard in Redis Cluster instead of crossing the whole cluster bus. Used when Redis is 7.0 or newer;
    /// classic <c>PUBLISH</c>/<c>SUBSCRIBE</c> otherwise, or when this is <see langword="false"/>. Default
    /// <see langword="true"/>.
    /// </summary>
    public bool UseShardedPubSub { get; set; } = true;

    internal void Validate()
    {
        if (Configuration is null)
        {
            throw new InvalidOperationException($"AgentBridgeRedisOptions.{nameof(Configuration)} must be set.");
        }

        if (string.IsNullOrWhiteSpace(Prefix) || Prefix.AsSpan().IndexOfAny('{', '}') >= 0)
        {
            throw new InvalidOperationException($"AgentBridgeRedisOptions.{nameof(Prefix)} must be a non-empty string without '{{' or '}}'; it is '{Prefix}'.");
        }

        if (OperationTimeout <= TimeSpan.Zero || OperationTimeout > TimeSpan.FromMinutes(10))
        {
            throw new InvalidOperationException($"AgentBridgeRedisOptions.{nameof(OperationTimeout)} must be greater than zero and at most 10 minutes; it is {OperationTimeout}.");
        }
    }
}
