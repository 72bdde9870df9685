using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace AgentBridge.StackExchangeRedis;

/// <summary>
/// The users' event streams in Redis. Each user's <c>seq</c>, epoch and replay window live in Redis under the user's
/// hash tag; emitting is one Lua script that numbers the event, appends it to the window (a Redis Stream whose entry
/// ids are the <c>seq</c> numbers) and publishes it on the user's channel. A server subscribes to a user's channel
/// while it holds a connection of the user, writes what arrives in <c>seq</c> order, fills any gap from the window
/// before writing anything newer, and drops what it already wrote.
/// </summary>
internal sealed class RedisEventStreams : AgentEventStreams
{
    private static readonly TimeSpan[] CatchUpDelays = [TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4)];
#pragma warning disable CA5350 // SHA-1 is what Redis names scripts by (EVALSHA), not a security measure.
    private static readonly byte[] EmitScript = SHA1.HashData(Encoding.UTF8.GetBytes(LuaScripts.Emit));
    private static readonly byte[] ReadScript = SHA1.HashData(Encoding.UTF8.GetBytes(LuaScripts.Read));
#pragma warning restore CA5350
    private readonly ConcurrentDictionary<string, UserFeed> _feeds = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, AgentEventConnection> _connections = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task> _leaving = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _connectLock = new(1, 1);
    private readonly CancellationTokenSource _disposed = new();
    private readonly AgentBridgeRedisOptions _options;
    private readonly ILogger _logger;
    private readonly StreamKeys _keys;
    private readonly TimeSpan _timeout;
    private readonly int _windowSize;
    private readonly long _windowAgeMilliseconds;
    private readonly long _metadataSeconds;
    private readonly string _epochTag;
    private long _broadcasts;
    private IConnectionMultiplexer? _redis;
    private bool? _sharded;
    private bool _controlSubscribed;

    public RedisEventStreams(AgentBridgeRedisOptions options, AgentBridgeOptions bridgeOptions, ILogger<RedisEventStreams> logger)
    {
        options.Validate();
        _options = options;
        _logger = logger;
        _keys = new StreamKeys(options.Prefix);
        _timeout = options.OperationTimeout;
        _windowSize = bridgeOptions.ReplayWindowSize;
        _windowAgeMilliseconds = (long)bridgeOptions.ReplayWindowAge.TotalMilliseconds;

        // The epoch and seq outlive the window by far, so that a user who comes back after a quiet day keeps their epoch.
        _metadataSeconds = (long)Math.Max(TimeSpan.FromDays(1).TotalSeconds, 2 * bridgeOptions.ReplayWindowAge.TotalSeconds);
        _epochTag = Convert.ToHexString(RandomNumberGenerator.GetBytes(2)).ToLowerInvariant();
    }

    public override async ValueTask OnConnectedAsync(AgentEventConnection connection, CancellationToken cancellationToken)
    {
        await ConnectAsync(cancellationToken).ConfigureAwait(false);
        _connections[connection.ConnectionId] = connection;
        while (true)
        {
            var feed = _feeds.GetOrAdd(connection.UserId, static (userId, self) => new UserFeed(userId, self.UserChannel(userId)), this);
            Task ready;
            lock (feed)
            {
                if (feed.Removed)
                {
                    continue;
                }

                feed.Connections = [.. feed.Connections, connection];
                ready = feed.Ready ??= StartFeedAsync(feed);
            }

            try
            {
                await ready.WaitAsync(_timeout, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (IsUnavailable(ex) || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                await OnDisconnectedAsync(connection).ConfigureAwait(false);
                throw Unavailable("subscribing to the user's stream", ex);
            }
            catch
            {
                await OnDisconnectedAsync(connection).ConfigureAwait(false);
                throw;
            }
        }
    }

    public override ValueTask OnDisconnectedAsync(AgentEventConnection connection)
    {
        if (!_connections.TryRemove(new KeyValuePair<string, AgentEventConnection>(connection.ConnectionId, connection))
            || !_feeds.TryGetValue(connection.UserId, out var feed))
        {
            return ValueTask.CompletedTask;
        }

        TaskCompletionSource? left = null;
        lock (feed)
        {
            feed.Connections = Array.FindAll(feed.Connections, c => !ReferenceEquals(c, connection));
            if (feed.Connections.Length == 0 && !feed.Removed)
            {
                // A new feed of the user waits until this one has unsubscribed: it is registered before the feed goes.
                left = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _leaving[feed.UserId] = left.Task;
                feed.Removed = true;
                _feeds.TryRemove(new KeyValuePair<string, UserFeed>(feed.UserId, feed));
            }
        }

        return left is null ? ValueTask.CompletedTask : new ValueTask(StopFeedAsync(feed, left));
    }

    public override async ValueTask PublishAsync(string userId, PreparedAgentEvent agentEvent, CancellationToken cancellationToken)
    {
        await EmitAsync(userId, agentEvent.Body, target: null, broadcastId: null, cancellationToken).ConfigureAwait(false);
    }

    public override async ValueTask<bool> PublishToConnectionAsync(string connectionId, PreparedAgentEvent agentEvent, CancellationToken cancellationToken)
    {
        if (_connections.TryGetValue(connectionId, out var connection))
        {
            await EmitAsync(connection.UserId, agentEvent.Body, connectionId, broadcastId: null, cancellationToken).ConfigureAwait(false);
            return true;
        }

        // Another server may hold it: whichever does numbers it in its user's stream.
        await PublishControlAsync('C', connectionId, agentEvent.Body, cancellationToken).ConfigureAwait(false);
        return true;
    }

    public override async ValueTask BroadcastAsync(PreparedAgentEvent agentEvent, CancellationToken cancellationToken)
    {
        var id = _epochTag + Interlocked.Increment(ref _broadcasts).ToString("x", CultureInfo.InvariantCulture) + Guid.NewGuid().ToString("N")[..8];
        await PublishControlAsync('B', id, agentEvent.Body, cancellationToken).ConfigureAwait(false);
    }

    public override async ValueTask ResumeAsync(AgentEventConnection connection, long lastSeq, string? epoch, CancellationToken cancellationToken)
    {
        // A connection that is live has its user's feed; one that is already leaving gets its answer all the same.
        var feed = _feeds.TryGetValue(connection.UserId, out var found) ? found : new UserFeed(connection.UserId, UserChannel(connection.UserId)) { Removed = true };
        await feed.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Under the gate: no live event reaches the connection between the answer and the replay, and every event
            // this server already wrote is older than what Redis answers now.
            var from = lastSeq == long.MaxValue ? lastSeq : lastSeq + 1;
            var read = await ReadAsync(connection.UserId, from, "+", _windowSize, epoch ?? string.Empty, delivered: 0, cancellationToken).ConfigureAwait(false);
            var recovered = (epoch is null || string.Equals(epoch, read.Epoch, StringComparison.Ordinal))
                && lastSeq <= read.LastSeq
                && lastSeq >= read.OldestSeq - 1;
            var replay = recovered ? read.Entries.Where(e => e.Target is null).Select(e => e.Frame).ToList() : [];
            var written = connection.TryWriteResumed(recovered, read.Epoch, read.LastSeq, read.OldestSeq, replay);
            if (!feed.Removed && !string.Equals(read.Epoch, feed.Epoch, StringComparison.Ordinal))
            {
                // Redis lost the stream and this resume is the first to see it: the other connections learn it now.
                ResetFeed(feed, read.Epoch, read.LastSeq, "the stream restarted with a new epoch", except: connection);
            }

            RedisLog.Resumed(_logger, connection.ConnectionId, lastSeq, recovered, written ? replay.Count : 0);
        }
        finally
        {
            feed.Gate.Release();
        }
    }

    public override int GetConnectionCount(string userId) =>
        _feeds.TryGetValue(userId, out var feed) ? feed.Connections.Length : 0;

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed.IsCancellationRequested)
        {
            // The token source stays undisposed: background catch-ups may still read its token.
            _disposed.Cancel();
            _redis?.Dispose();
        }

        base.Dispose(disposing);
    }

    private static bool IsUnavailable(Exception ex) => ex switch
    {
        RedisConnectionException or RedisTimeoutException or TimeoutException => true,

        // Redis is loading its data, or a cluster is failing over: both pass.
        RedisServerException server => server.Message.StartsWith("LOADING", StringComparison.Ordinal)
            || server.Message.StartsWith("CLUSTERDOWN", StringComparison.Ordinal)
            || server.Message.StartsWith("TRYAGAIN", StringComparison.Ordinal)
            || server.Message.StartsWith("MASTERDOWN", StringComparison.Ordinal)
            || server.Message.StartsWith("READONLY", StringComparison.Ordinal),
        AgentBridgeUnavailableException => true,
        _ => false,
    };

    private static Exception Unavailable(string what, Exception ex) => ex is AgentBridgeUnavailableException
        ? ex
        : new AgentBridgeUnavailableException($"Redis could not be reached while {what}: {ex.Message}", ex);

    private RedisChannel UserChannel(string userId) =>
        _sharded == true ? RedisChannel.Sharded(_keys.Channel(userId)) : RedisChannel.Literal(_keys.Channel(userId));

    /// <summary>Connects once; afterwards StackExchange.Redis reconnects by itself and we only catch up.</summary>
    private async ValueTask<IConnectionMultiplexer> ConnectAsync(CancellationToken cancellationToken)
    {
        var redis = Volatile.Read(ref _redis);
        if (redis is not null && _sharded is not null && _controlSubscribed)
        {
            return redis;
        }

        await _connectLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_redis is null)
            {
                RedisLog.Connecting(_logger, _options.UseShardedPubSub ? "sharded (Redis 7+) or classic" : "classic");
                redis = await CreateConnectionAsync().WaitAsync(_timeout + _timeout, cancellationToken).ConfigureAwait(false);
                redis.ConnectionFailed += OnConnectionFailed;
                redis.ConnectionRestored += OnConnectionRestored;
                Volatile.Write(ref _redis, redis);
            }

            redis = _redis;
            if (_sharded is null)
            {
                // Sharded pub/sub needs Redis 7; the version is known once a server answered. The first connection may
                // still be on its way (a slow start, a busy machine): give it the operation's time.
                var waited = System.Diagnostics.Stopwatch.StartNew();
                IServer? server;
                while ((server = redis.GetEndPoints().Select(e => redis.GetServer(e)).FirstOrDefault(s => s.IsConnected)) is null
                    || !redis.GetSubscriber().IsConnected(_keys.Control))
                {
                    if (waited.Elapsed >= _timeout)
                    {
                        throw new AgentBridgeUnavailableException("No Redis server is connected.");
                    }

                    await Task.Delay(50, cancellationToken).ConfigureAwait(false);
                }

                _sharded = _options.UseShardedPubSub && server.Version >= new Version(7, 0);
            }

            if (!_controlSubscribed)
            {
                var control = await redis.GetSubscriber().SubscribeAsync(_keys.Control).WaitAsync(_timeout, cancellationToken).ConfigureAwait(false);
                control.OnMessage(OnControlMessageAsync);
                _controlSubscribed = true;
            }

            return redis;
        }
        catch (Exception ex) when (IsUnavailable(ex))
        {
            throw Unavailable("connecting", ex);
        }
        finally
        {
            _connectLock.Release();
        }
    }

    private async Task<IConnectionMultiplexer> CreateConnectionAsync()
    {
        using var log = new StringWriter(CultureInfo.InvariantCulture);
        if (_options.ConnectionFactory is { } factory)
        {
            return await factory(log).ConfigureAwait(false);
        }

        var configuration = _options.Configuration.Clone();
        configuration.AbortOnConnectFail = false;
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        // StackExchange.Redis notices a timed-out request on its heartbeat, once a second: ask it for one second less,
        // so that an emit fails within OperationTimeout without a timer of its own.
        var timeout = (int)Math.Max(_timeout.TotalMilliseconds / 2, _timeout.TotalMilliseconds - 1000);
        configuration.AsyncTimeout = timeout;
        configuration.SyncTimeout = timeout;
        return await ConnectionMultiplexer.ConnectAsync(configuration, log).ConfigureAwait(false);
    }

    /// <summary>Subscribes to the user's channel, then reads the stream's head: everything newer arrives on the channel.</summary>
    private async Task StartFeedAsync(UserFeed feed)
    {
        if (_leaving.TryGetValue(feed.UserId, out var leaving))
        {
            await leaving.ConfigureAwait(false);
        }

        await feed.Gate.WaitAsync().ConfigureAwait(false);
        try
        {
            var redis = await ConnectAsync(CancellationToken.None).ConfigureAwait(false);
            var queue = await redis.GetSubscriber().SubscribeAsync(feed.Channel).WaitAsync(_timeout).ConfigureAwait(false);
            feed.Queue = queue;
            queue.OnMessage(message => OnUserMessageAsync(feed, message));
            var head = await ReadAsync(feed.UserId, long.MaxValue, "+", 0, string.Empty, delivered: 0, CancellationToken.None).ConfigureAwait(false);
            feed.Follow(head.Epoch, head.LastSeq);
        }
        catch
        {
            // A feed that never started is replaced by the next connection of the user.
            lock (feed)
            {
                feed.Removed = true;
                _feeds.TryRemove(new KeyValuePair<string, UserFeed>(feed.UserId, feed));
            }

            await UnsubscribeAsync(feed).ConfigureAwait(false);
            throw;
        }
        finally
        {
            feed.Gate.Release();
        }
    }

    private async Task StopFeedAsync(UserFeed feed, TaskCompletionSource left)
    {
        try
        {
            if (feed.Ready is { } ready)
            {
                await ready.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
            }

            await UnsubscribeAsync(feed).ConfigureAwait(false);
        }
        finally
        {
            _leaving.TryRemove(new KeyValuePair<string, Task>(feed.UserId, left.Task));
            left.TrySetResult();
        }
    }

    private async Task UnsubscribeAsync(UserFeed feed)
    {
        if (feed.Queue is not { } queue)
        {
            return;
        }

        try
        {
            await queue.UnsubscribeAsync().WaitAsync(_timeout).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsUnavailable(ex) || ex is ObjectDisposedException)
        {
            RedisLog.UnsubscribeFailed(_logger, ex);
        }
    }

    /// <summary>One event on a user's channel: write it in order, after filling any gap before it.</summary>
    private async Task OnUserMessageAsync(UserFeed feed, ChannelMessage message)
    {
        if (!StreamMessage.TryParse((ReadOnlyMemory<byte>)message.Message, out var parsed))
        {
            RedisLog.BadMessage(_logger);
            return;
        }

        await feed.Gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (feed.Removed)
            {
                return;
            }

            if (!feed.IsEpoch(parsed.Epoch.Span))
            {
                ResetFeed(feed, Encoding.UTF8.GetString(parsed.Epoch.Span), parsed.Seq, "the stream restarted with a new epoch");
                return;
            }

            if (parsed.Seq <= feed.Cursor)
            {
                return;
            }

            if (parsed.Seq > feed.Cursor + 1 && !await FillAsync(feed, parsed.Seq - 1).ConfigureAwait(false))
            {
                return;
            }

            // One array of its own per event, shared by every connection here (the message's buffer holds the epoch too).
            feed.Write(new AgentEventFrame(parsed.Seq, parsed.Frame.ToArray()), parsed.Target);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Not lost: the window keeps the event, and the next event (as a gap) or the catch-up after a reconnect
            // writes it. Nothing may escape: it would end the subscription's message loop.
            RedisLog.DeliveryFailed(_logger, ex);
        }
        finally
        {
            feed.Gate.Release();
        }
    }

    /// <summary>
    /// Under the feed's gate: writes the window's events after the cursor, up to <paramref name="upTo"/> (the newest when
    /// <see langword="null"/>). Returns <see langword="false"/> when the stream was reset instead.
    /// </summary>
    private async Task<bool> FillAsync(UserFeed feed, long? upTo)
    {
        var from = feed.Cursor + 1;
        var read = await ReadAsync(
            feed.UserId,
            from,
            upTo?.ToString(CultureInfo.InvariantCulture) ?? "+",
            _windowSize,
            feed.Epoch,
            feed.Cursor,
            CancellationToken.None).ConfigureAwait(false);
        if (!string.Equals(read.Epoch, feed.Epoch, StringComparison.Ordinal))
        {
            ResetFeed(feed, read.Epoch, read.LastSeq, "the stream restarted with a new epoch");
            return false;
        }

        if (from < read.OldestSeq && from <= read.LastSeq)
        {
            ResetFeed(feed, read.Epoch, read.LastSeq, "events to deliver are no longer in the window");
            return false;
        }

        foreach (var entry in read.Entries)
        {
            feed.Write(entry.Frame, entry.Target);
        }

        if (read.Entries.Count > 0)
        {
            RedisLog.GapFilled(_logger, read.Entries.Count);
        }

        return true;
    }

    private void ResetFeed(UserFeed feed, string epoch, long cursor, string reason, AgentEventConnection? except = null)
    {
        RedisLog.StreamReset(_logger, reason, feed.Connections.Length - (except is null ? 0 : 1));
        feed.Reset(reason, except);
        feed.Follow(epoch, cursor);
    }

    /// <summary>Writes what each local user's connections missed while the subscription was away.</summary>
    private async Task CatchUpAsync()
    {
        await Parallel.ForEachAsync(
            _feeds.Values.ToList(),
            new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = _disposed.Token },
            async (feed, cancellationToken) =>
            {
                if (feed.Ready is not { IsCompletedSuccessfully: true })
                {
                    return;
                }

                await feed.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    if (!feed.Removed)
                    {
                        await FillAsync(feed, upTo: null).ConfigureAwait(false);
                    }
                }
                catch (Exception ex) when (IsUnavailable(ex))
                {
                    RedisLog.DeliveryFailed(_logger, ex);
                }
                finally
                {
                    feed.Gate.Release();
                }
            }).ConfigureAwait(false);
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e) =>
        RedisLog.ConnectionFailed(_logger, e.ConnectionType.ToString(), e.EndPoint?.ToString() ?? "?", e.FailureType.ToString(), e.Exception);

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        RedisLog.ConnectionRestored(_logger, e.ConnectionType.ToString(), e.EndPoint?.ToString() ?? "?");
        if (e.ConnectionType == ConnectionType.Subscription)
        {
            // Only the subscription loses messages while it is away.
            _ = RecoverAsync();
        }
    }

    /// <summary>
    /// After a reconnect, StackExchange.Redis subscribes again on its own, a little later: catch up now, and again
    /// after it has surely done so, for the events published in between that no later event would reveal as a gap.
    /// </summary>
    private async Task RecoverAsync()
    {
        try
        {
            foreach (var delay in CatchUpDelays)
            {
                await Task.Delay(delay, _disposed.Token).ConfigureAwait(false);
                if (!_controlSubscribed || _sharded is null)
                {
                    try
                    {
                        await ConnectAsync(_disposed.Token).ConfigureAwait(false);
                    }
                    catch (AgentBridgeUnavailableException)
                    {
                        // The next round or the next reconnect tries again.
                    }
                }

                await CatchUpAsync().ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
        catch (Exception ex) when (ex is ObjectDisposedException)
        {
            // Disposed.
        }
    }

    private async Task EmitAsync(string userId, ReadOnlyMemory<byte> body, string? target, string? broadcastId, CancellationToken cancellationToken)
    {
        var redis = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        RedisKey[] keys = broadcastId is null
            ? [_keys.Meta(userId), _keys.Stream(userId)]
            : [_keys.Meta(userId), _keys.Stream(userId), _keys.Once(userId, broadcastId)];
        RedisValue[] values =
        [
            body.ToArray(),
            _windowSize,
            _windowAgeMilliseconds,
            _metadataSeconds,
            _epochTag,
            _keys.Channel(userId),
            _sharded == true ? "SPUBLISH" : "PUBLISH",
            target ?? string.Empty,
            Math.Max(60, (long)_timeout.TotalSeconds * 4),
            DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        ];
        try
        {
            // No timer of our own on the hot path: StackExchange.Redis times the request out (see CreateConnectionAsync).
            cancellationToken.ThrowIfCancellationRequested();
            await EvaluateAsync(redis.GetDatabase(), LuaScripts.Emit, EmitScript, keys, values).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsUnavailable(ex))
        {
            throw Unavailable("emitting an event", ex);
        }
    }

    private async Task<StreamRead> ReadAsync(string userId, long from, string to, int count, string expectedEpoch, long delivered, CancellationToken cancellationToken)
    {
        var redis = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        RedisKey[] keys = [_keys.Meta(userId), _keys.Stream(userId)];
        RedisValue[] values = [from, to, count, _windowAgeMilliseconds, _metadataSeconds, _epochTag, expectedEpoch, delivered, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), _windowSize];
        try
        {
            var result = await EvaluateAsync(redis.GetDatabase(), LuaScripts.Read, ReadScript, keys, values).WaitAsync(_timeout, cancellationToken).ConfigureAwait(false);
            return StreamRead.Parse(result);
        }
        catch (Exception ex) when (IsUnavailable(ex))
        {
            throw Unavailable("reading a user's stream", ex);
        }
    }

    /// <summary>
    /// Runs a script by its hash (<c>EVALSHA</c>: the script's text is not sent, nor hashed, per call); a server that
    /// does not have it yet (first use, or a restart) gets it once with <c>EVAL</c>, which also caches it there.
    /// </summary>
    private static async Task<RedisResult> EvaluateAsync(IDatabase database, string script, byte[] hash, RedisKey[] keys, RedisValue[] values)
    {
        try
        {
            return await database.ScriptEvaluateAsync(hash, keys, values).ConfigureAwait(false);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal))
        {
            return await database.ScriptEvaluateAsync(script, keys, values).ConfigureAwait(false);
        }
    }

    /// <summary>Hands a broadcast (<c>B|id|body</c>) or a connection's event (<c>C|connectionId|body</c>) to every server.</summary>
    private async Task PublishControlAsync(char kind, string id, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var redis = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        var header = Encoding.UTF8.GetBytes(kind + "|" + id + "|");
        var payload = new byte[header.Length + body.Length];
        header.CopyTo(payload, 0);
        body.CopyTo(payload.AsMemory(header.Length));
        try
        {
            await redis.GetSubscriber().PublishAsync(_keys.Control, payload).WaitAsync(_timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsUnavailable(ex))
        {
            throw Unavailable("publishing to every server", ex);
        }
    }

    private async Task OnControlMessageAsync(ChannelMessage message)
    {
        var payload = (ReadOnlyMemory<byte>)message.Message;
        var span = payload.Span;
        var second = span.Length > 2 && span[1] == (byte)'|' ? span[2..].IndexOf((byte)'|') : -1;
        if (second < 0)
        {
            RedisLog.BadMessage(_logger);
            return;
        }

        var id = Encoding.UTF8.GetString(span.Slice(2, second));
        var body = payload[(second + 3)..];
        try
        {
            switch ((char)span[0])
            {
                case 'B':
                    // Every server emits for the users it holds; the once-key lets only the first emit per user count.
                    await Parallel.ForEachAsync(
                        _feeds.Keys.ToList(),
                        new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = _disposed.Token },
                        async (userId, cancellationToken) =>
                        {
                            try
                            {
                                await EmitAsync(userId, body, target: null, id, cancellationToken).ConfigureAwait(false);
                            }
                            catch (AgentBridgeUnavailableException ex)
                            {
                                RedisLog.ControlFailed(_logger, ex);
                            }
                        }).ConfigureAwait(false);
                    break;
                case 'C' when _connections.TryGetValue(id, out var connection):
                    await EmitAsync(connection.UserId, body, id, broadcastId: null, _disposed.Token).ConfigureAwait(false);
                    break;
            }
        }
        catch (Exception ex) when (IsUnavailable(ex) || ex is OperationCanceledException or ObjectDisposedException)
        {
            RedisLog.ControlFailed(_logger, ex);
        }
    }
}
