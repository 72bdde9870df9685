using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace AgentBridge.Benchmarks.Runtime;

/// <summary>One user on the client side: its connections and the acknowledgements sent for it.</summary>
internal sealed class UserState(int index, Fleet fleet)
{
    private long _lastAckSent;

    public int Index { get; } = index;

    public List<ClientConnection> Connections { get; } = [];

    public void ResetAcks(long start) => Volatile.Write(ref _lastAckSent, start);

    /// <summary>Acknowledges what the slowest of this user's connections has received, every <see cref="Fleet.AckEvery"/> events.</summary>
    public void OnReceived()
    {
        var min = long.MaxValue;
        foreach (var connection in Connections)
        {
            min = Math.Min(min, connection.Last);
        }

        var sent = Volatile.Read(ref _lastAckSent);
        if (min - sent >= fleet.AckEvery && Interlocked.CompareExchange(ref _lastAckSent, min, sent) == sent)
        {
            fleet.Ack(Index, min);
        }
    }
}

/// <summary>A client connection of any contender: checks and records each event it receives.</summary>
internal abstract class ClientConnection(UserState user, Fleet fleet)
{
    private long _last;

    public UserState User { get; } = user;

    protected Fleet Fleet { get; } = fleet;

    /// <summary>The counter of the last event received (events are numbered 1, 2, … per user, across rounds).</summary>
    public long Last => Volatile.Read(ref _last);

    public long Received { get; private set; }

    public List<long> Latencies { get; } = new(4096);

    public abstract Task ConnectAsync(Uri server, CookieContainer cookies);

    public abstract Task CloseAsync();

    public void BeginRound()
    {
        Latencies.Clear();
        Received = 0;
    }

    protected void Record(long seq, int user, long n, long emitTicks)
    {
        var now = Stopwatch.GetTimestamp();
        if (user != User.Index)
        {
            Fleet.Fail($"user {User.Index} received an event of user {user} (n={n})");
        }
        else if (n != _last + 1 || seq != n)
        {
            Fleet.Fail($"user {User.Index}: expected n={_last + 1}, got n={n} seq={seq}");
        }

        Received++;
        Latencies.Add(now - emitTicks);
        Volatile.Write(ref _last, n);
        User.OnReceived();
        Fleet.OnDelivered(now);
    }
}

/// <summary>A <see cref="ClientWebSocket"/> reading JSON text frames (AgentBridge and the raw baseline share it).</summary>
internal sealed class WebSocketClientConnection(UserState user, Fleet fleet, string path) : ClientConnection(user, fleet)
{
    private readonly ClientWebSocket _socket = new();
    private Task _loop = Task.CompletedTask;

    public override async Task ConnectAsync(Uri server, CookieContainer cookies)
    {
        _socket.Options.Cookies = cookies;
        var uri = new UriBuilder(server) { Scheme = "ws", Path = path }.Uri;
        await _socket.ConnectAsync(uri, CancellationToken.None);
        _loop = Task.Run(ReceiveLoopAsync);
    }

    public override async Task CloseAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
            await _loop.WaitAsync(TimeSpan.FromSeconds(2));
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or TimeoutException or ObjectDisposedException)
        {
            // Closing is best effort.
        }

        _socket.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var total = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (total == buffer.Length)
                    {
                        Array.Resize(ref buffer, buffer.Length * 2);
                    }

                    result = await _socket.ReceiveAsync(buffer.AsMemory(total), CancellationToken.None);
                    total += result.Count;
                }
                while (!result.EndOfMessage);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                if (TryParse(buffer.AsSpan(0, total), out var seq, out var u, out var n, out var t))
                {
                    Record(seq, u, n, t);
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            // Closed.
        }
    }

    /// <summary>Reads <c>seq</c> and <c>data.u</c>, <c>data.n</c>, <c>data.t</c> from a frame; false for frames without data.</summary>
    internal static bool TryParse(ReadOnlySpan<byte> json, out long seq, out int u, out long n, out long t)
    {
        seq = n = t = -1;
        u = -1;
        var reader = new Utf8JsonReader(json);
        var depth = 0;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    depth++;
                    break;
                case JsonTokenType.EndObject:
                    depth--;
                    break;
                case JsonTokenType.PropertyName when depth == 1 && reader.ValueTextEquals("seq"u8):
                    reader.Read();
                    seq = reader.GetInt64();
                    break;
                case JsonTokenType.PropertyName when depth == 2 && reader.ValueTextEquals("u"u8):
                    reader.Read();
                    u = reader.GetInt32();
                    break;
                case JsonTokenType.PropertyName when depth == 2 && reader.ValueTextEquals("n"u8):
                    reader.Read();
                    n = reader.GetInt64();
                    break;
                case JsonTokenType.PropertyName when depth == 2 && reader.ValueTextEquals("t"u8):
                    reader.Read();
                    t = reader.GetInt64();
                    break;
            }
        }

        return n >= 0 && u >= 0 && t >= 0;
    }
}

/// <summary>A SignalR <see cref="HubConnection"/> on the WebSockets transport with the JSON protocol (the defaults).</summary>
internal sealed class HubClientConnection(UserState user, Fleet fleet) : ClientConnection(user, fleet)
{
    private HubConnection? _connection;

    public override async Task ConnectAsync(Uri server, CookieContainer cookies)
    {
        _connection = new HubConnectionBuilder()
            .WithUrl(new Uri(server, "/hub"), o =>
            {
                o.Cookies = cookies;
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
            })
            .Build();
        _connection.On<BenchEvent>("event", e => Record(e.Seq, e.Data.U, e.Data.N, e.Data.T));
        await _connection.StartAsync();
    }

    public override async Task CloseAsync()
    {
        if (_connection is not null)
        {
            try
            {
                await _connection.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (TimeoutException)
            {
                // Closing is best effort.
            }
        }
    }
}

/// <summary>All client connections of one contender, the acknowledgement socket, and the round's bookkeeping.</summary>
internal sealed class Fleet : IAsyncDisposable
{
    private readonly ServerProcess _server;
    private readonly ServerProcess _emitter;
    private readonly Channel<(int User, long Acked)> _acks = Channel.CreateUnbounded<(int, long)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly List<string> _failures = [];
    private ClientWebSocket? _ackSocket;
    private Task _ackLoop = Task.CompletedTask;
    private long _expected = long.MaxValue;
    private long _delivered;
    private long _lastDeliveryTicks;
    private TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _failureCount;

    /// <param name="server">The server the clients sign in to and hold their sockets on.</param>
    /// <param name="ackEvery">How often a user's progress is acknowledged to the emitter.</param>
    /// <param name="emitter">The server whose runs emit (the agent's node), when it is not <paramref name="server"/>.</param>
    public Fleet(ServerProcess server, int ackEvery, ServerProcess? emitter = null)
    {
        _server = server;
        _emitter = emitter ?? server;
        AckEvery = ackEvery;
    }

    public string Contender => _server.Contender;

    public int AckEvery { get; }

    public List<UserState> Users { get; } = [];

    public IEnumerable<ClientConnection> Connections => Users.SelectMany(u => u.Connections);

    public int FailureCount => Volatile.Read(ref _failureCount);

    public IReadOnlyList<string> Failures
    {
        get
        {
            lock (_failures)
            {
                return [.. _failures];
            }
        }
    }

    public void Fail(string message)
    {
        if (Interlocked.Increment(ref _failureCount) <= 10)
        {
            lock (_failures)
            {
                _failures.Add(Contender + ": " + message);
            }
        }
    }

    public void Ack(int user, long acked) => _acks.Writer.TryWrite((user, acked));

    public void OnDelivered(long now)
    {
        if (Interlocked.Increment(ref _delivered) == Volatile.Read(ref _expected))
        {
            Volatile.Write(ref _lastDeliveryTicks, now);
            _done.TrySetResult();
        }
    }

    /// <summary>Signs in <paramref name="users"/> users (indices from <paramref name="firstUser"/>) and opens their connections.</summary>
    public async Task ConnectAsync(int firstUser, int users, Func<int, int> connectionsOfUser, int parallelism = 32)
    {
        // Connections the server already has for users up to the last new one (another fleet's, on a shared server).
        var already = await _server.ConnectionCountAsync(firstUser + users);
        var added = new List<UserState>();
        for (var u = firstUser; u < firstUser + users; u++)
        {
            var user = new UserState(u, this);
            for (var c = 0; c < connectionsOfUser(u); c++)
            {
                user.Connections.Add(_server.Contender switch
                {
                    Runtime.Contender.SignalR => new HubClientConnection(user, this),
                    Runtime.Contender.AgentBridge => new WebSocketClientConnection(user, this, "/agent-events"),
                    _ => new WebSocketClientConnection(user, this, "/raw"),
                });
            }

            added.Add(user);
        }

        using var gate = new SemaphoreSlim(parallelism);
        await Task.WhenAll(added.Select(async user =>
        {
            await gate.WaitAsync();
            try
            {
                var cookies = await _server.SignInAsync(Bench.UserId(user.Index));
                foreach (var connection in user.Connections)
                {
                    await connection.ConnectAsync(_server.BaseUri, cookies);
                }
            }
            finally
            {
                gate.Release();
            }
        }));
        Users.AddRange(added);

        // The server attaches a connection a little after the client sees the upgrade: wait until it has them all.
        var want = already + added.Sum(u => u.Connections.Count);
        var deadline = Stopwatch.StartNew();
        while (await _server.ConnectionCountAsync(firstUser + users) < want)
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new InvalidOperationException($"{Contender}: the server did not register {want} connections");
            }

            await Task.Delay(20);
        }
    }

    public async Task OpenAckSocketAsync()
    {
        _ackSocket = new ClientWebSocket();
        await _ackSocket.ConnectAsync(new UriBuilder(_emitter.BaseUri) { Scheme = "ws", Path = "/ctl/acks" }.Uri, CancellationToken.None);
        _ackLoop = Task.Run(AckLoopAsync);
    }

    /// <summary>Runs one closed-loop round: every user emits <paramref name="events"/> events; waits until every connection has them.</summary>
    public async Task<RoundResult> RunRoundAsync(int round, int events, int window, int textLength, long start, TimeSpan timeout)
    {
        var connections = Connections.ToList();
        foreach (var connection in connections)
        {
            connection.BeginRound();
        }

        foreach (var user in Users)
        {
            user.ResetAcks(start);
        }

        _done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _delivered, 0);
        var expected = (long)connections.Count * events;
        Volatile.Write(ref _expected, expected);
        var before = await StatsAsync();
        var started = Stopwatch.GetTimestamp();
        var run = _emitter.RunAsync(Users.Count, events, window, start, textLength);
        var finished = await Task.WhenAny(_done.Task, Task.Delay(timeout)) == _done.Task;
        await run.WaitAsync(timeout);
        var after = await StatsAsync();
        Volatile.Write(ref _expected, long.MaxValue);
        if (!finished)
        {
            Fail($"round {round}: only {Volatile.Read(ref _delivered)} of {expected} deliveries within {timeout.TotalSeconds:F0} s");
        }

        // Exactly once, in order, to every connection of the user and no other.
        foreach (var connection in connections)
        {
            if (connection.Received != events || connection.Last != start + events)
            {
                Fail($"round {round}: a connection of user {connection.User.Index} received {connection.Received} events (last n={connection.Last}), expected {events} (last n={start + events})");
            }
        }

        var wallTicks = (finished ? Volatile.Read(ref _lastDeliveryTicks) : Stopwatch.GetTimestamp()) - started;
        var latencies = connections.SelectMany(c => c.Latencies).ToArray();
        Array.Sort(latencies);
        var emitted = (long)Users.Count * events;
        return new RoundResult(
            Contender,
            round,
            emitted,
            Volatile.Read(ref _delivered),
            wallTicks / (double)Stopwatch.Frequency,
            Percentile(latencies, 0.50),
            Percentile(latencies, 0.99),
            latencies.Length == 0 ? 0 : ToMicros(latencies[^1]),
            (after.AllocatedBytes - before.AllocatedBytes) / (double)emitted,
            (after.CpuTicks - before.CpuTicks) / 10.0 / emitted,
            after.Gen0 - before.Gen0,
            after.Gen1 - before.Gen1,
            after.Gen2 - before.Gen2);
    }

    public async ValueTask DisposeAsync()
    {
        _acks.Writer.TryComplete();
        await Task.WhenAll(Connections.Select(c => c.CloseAsync()));
        if (_ackSocket is not null)
        {
            try
            {
                await _ackLoop.WaitAsync(TimeSpan.FromSeconds(2));
                await _ackSocket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(2));
            }
            catch (Exception ex) when (ex is WebSocketException or TimeoutException or ObjectDisposedException)
            {
                // Best effort.
            }

            _ackSocket.Dispose();
        }
    }

    private async Task AckLoopAsync()
    {
        var buffer = new byte[12 * 1024];
        var reader = _acks.Reader;
        try
        {
            while (await reader.WaitToReadAsync())
            {
                var length = 0;
                while (length + 12 <= buffer.Length && reader.TryRead(out var ack))
                {
                    BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(length), ack.User);
                    BinaryPrimitives.WriteInt64LittleEndian(buffer.AsSpan(length + 4), ack.Acked);
                    length += 12;
                }

                await _ackSocket!.SendAsync(buffer.AsMemory(0, length), WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException)
        {
            Fail("the acknowledgement socket failed: " + ex.Message);
        }
    }

    /// <summary>The servers' counters, added up when the sockets and the runs are on two servers.</summary>
    private async Task<ServerStats> StatsAsync()
    {
        var stats = await _server.StatsAsync();
        if (ReferenceEquals(_emitter, _server))
        {
            return stats;
        }

        var other = await _emitter.StatsAsync();
        return new ServerStats(stats.AllocatedBytes + other.AllocatedBytes, stats.CpuTicks + other.CpuTicks, stats.Gen0 + other.Gen0, stats.Gen1 + other.Gen1, stats.Gen2 + other.Gen2);
    }

    private static double ToMicros(long ticks) => ticks * 1_000_000.0 / Stopwatch.Frequency;

    private static double Percentile(long[] sorted, double p) =>
        sorted.Length == 0 ? 0 : ToMicros(sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)]);
}

/// <summary>What one contender did in one round.</summary>
internal sealed record RoundResult(
    string Contender,
    int Round,
    long Emitted,
    long Delivered,
    double Seconds,
    double P50Micros,
    double P99Micros,
    double MaxMicros,
    double AllocatedBytesPerEvent,
    double CpuMicrosPerEvent,
    int Gen0,
    int Gen1,
    int Gen2)
{
    public double DeliveredPerSecond => Delivered / Seconds;
}
