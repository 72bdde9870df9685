using StackExchange.Redis;

namespace AgentBridge.StackExchangeRedis;

/// <summary>Options of the Redis scale-out, set through <c>AddAgentBridge().AddStackExchangeRedis(..., options =&gt; ...)</c>.</summary>
public sealed class AgentBridgeRedisOptions
{
    /// <summary>
    /// The StackExchange.Redis configuration (endpoints, password, TLS, ...). Its <c>ReconnectRetryPolicy</c> starts as
    /// <see cref="DefaultReconnectRetryPolicy"/>, so that delivery resumes soon after Redis is back. AgentBridge applies
    /// three settings of its own to a copy: <c>AbortOnConnectFail = false</c> (the app starts while Redis is down),
    /// <c>BacklogPolicy.FailFast</c> (an emit while Redis is unreachable fails at once instead of waiting), and
    /// <c>AsyncTimeout</c>/<c>SyncTimeout</c> from <see cref="OperationTimeout"/>.
    /// </summary>
    public ConfigurationOptions Configuration { get; set; } = WithDefaults(new ConfigurationOptions());

    /// <summary>
    /// A new instance of the reconnect policy a <see cref="Configuration"/> starts with: a first retry after half a second,
    /// backing off to five seconds at most (StackExchange.Redis's own default starts at half the connect timeout and
    /// backs off to a minute).
    /// </summary>
    public static IReconnectRetryPolicy DefaultReconnectRetryPolicy => new ExponentialRetry(deltaBackOffMilliseconds: 500, maxDeltaBackOffMilliseconds: 5000);

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

    /// <summary>Gives a configuration AgentBridge's defaults, before the app's own settings.</summary>
    internal static ConfigurationOptions WithDefaults(ConfigurationOptions configuration)
    {
        configuration.ReconnectRetryPolicy = DefaultReconnectRetryPolicy;
        return configuration;
    }

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
