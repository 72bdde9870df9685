using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using AgentBridge.Benchmarks.Runtime;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace AgentBridge.Benchmarks.ScaleOut;

/// <summary>
/// Redis killed and restarted mid-stream. Every user's run on node A emits its events one after the other with a pause
/// between them; each user has one connection on node B. Redis (with its append-only file fsynced on every write, so it
/// comes back with everything it acknowledged) is killed once the clients have a third of the events, and started again after
/// <c>outage</c>. Each side counts what it emitted without an exception and what its clients received.
/// </summary>
internal static class FaultScenario
{
    /// <param name="cutSubscriptions">Instead of killing Redis, cut its pub/sub connections (<c>CLIENT KILL TYPE pubsub</c>)
    /// three times, <paramref name="outage"/> apart: Redis and every emit stay up, only the subscribers blink.</param>
    public static async Task<FaultResult> RunAsync(string contender, int users, int events, int intervalMs, int textLength, TimeSpan outage, bool cutSubscriptions, Action<string> progress)
    {
        await using var redis = await RedisProcess.StartAsync(durable: true);
        string[] options = ["--redis", redis.Configuration, "--prefix", "fault"];
        var a = await ServerProcess.StartAsync(contender, options);
        var b = await ServerProcess.StartAsync(contender, options);
        var clients = new List<FaultClient>();
        try
        {
            for (var u = 0; u < users; u++)
            {
                var cookies = await b.SignInAsync(Bench.UserId(u));
                FaultClient client = contender == Contender.SignalR ? new SignalRFaultClient(u) : new AgentBridgeFaultClient(u);
                await client.ConnectAsync(b.BaseUri, cookies);
                clients.Add(client);
            }

            while (await b.ConnectionCountAsync(users) < users)
            {
                await Task.Delay(20);
            }

            var run = a.PostAsync(FormattableString.Invariant($"/ctl/fault?users={users}&events={events}&intervalMs={intervalMs}&text={textLength}"));
            // Mid-stream whatever the machine's load: once the clients have a third of the events.
            var third = users * (long)events / 3;
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (clients.Sum(c => c.Received) < third && !run.IsCompleted && waited.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(5);
            }

            if (cutSubscriptions)
            {
                for (var cut = 0; cut < 3; cut++)
                {
                    progress($"{contender}: cutting the pub/sub connections");
                    await redis.ExecuteAsync("CLIENT", "KILL", "TYPE", "pubsub");
                    await Task.Delay(outage);
                }
            }
            else
            {
                progress($"{contender}: killing Redis");
                await redis.KillAsync();
                await Task.Delay(outage);
                await redis.StartAgainAsync();
                progress($"{contender}: Redis is back");
            }
            var answer = (await run).Split('\n');

            // Let late deliveries (gap fills, catch-ups, reconnects) arrive: until nothing changed for two seconds.
            var last = -1L;
            for (var quiet = 0; quiet < 20; quiet++)
            {
                await Task.Delay(100);
                var now = clients.Sum(c => c.Received);
                if (now != last)
                {
                    quiet = 0;
                    last = now;
                }
            }

            var result = new FaultResult(contender);
            for (var u = 0; u < users; u++)
            {
                var ok = answer[u].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(n => long.Parse(n, CultureInfo.InvariantCulture)).ToHashSet();
                var received = clients[u].Numbers;
                result.EmittedOk += ok.Count;
                result.Received += received.Count;
                result.Lost += ok.Count(n => !received.Contains(n));
                result.DeliveredDespiteException += received.Count(n => !ok.Contains(n));
                result.Duplicates += clients[u].Duplicates;
                result.OutOfOrder += clients[u].OutOfOrder;
                result.Reconnects += clients[u].Reconnects;
                result.NotRecovered += clients[u].NotRecovered;
            }

            result.EmitExceptions = int.Parse(answer[users], CultureInfo.InvariantCulture);
            return result;
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }

            await a.DisposeAsync();
            await b.DisposeAsync();
        }
    }
}

internal sealed class FaultResult(string contender)
{
    public string Contender { get; } = contender;

    public long EmittedOk { get; set; }

    public long EmitExceptions { get; set; }

    public long Received { get; set; }

    public long Lost { get; set; }

    public long DeliveredDespiteException { get; set; }

    public long Duplicates { get; set; }

    public long OutOfOrder { get; set; }

    public long Reconnects { get; set; }

    public long NotRecovered { get; set; }
}

/// <summary>A client of the fault scenario: records which of its user's events it received, tolerating loss.</summary>
internal abstract class FaultClient(int user) : IAsyncDisposable
{
    private readonly HashSet<long> _numbers = [];
    private long _lastNumber;

    public int User { get; } = user;

    public HashSet<long> Numbers
    {
        get
        {
            lock (_numbers)
            {
                return [.. _numbers];
            }
        }
    }

    public long Received
    {
        get
        {
            lock (_numbers)
            {
                return _numbers.Count;
            }
        }
    }

    public long Duplicates { get; private set; }

    public long OutOfOrder { get; private set; }

    public long Reconnects { get; protected set; }

    public long NotRecovered { get; protected set; }

    public abstract Task ConnectAsync(Uri server, CookieContainer cookies);

    public abstract ValueTask DisposeAsync();

    protected void Record(int user, long n)
    {
        lock (_numbers)
        {
            if (user != User || !_numbers.Add(n))
            {
                Duplicates++;
                return;
            }

            if (n < _lastNumber)
            {
                OutOfOrder++;
            }

            _lastNumber = Math.Max(_lastNumber, n);
        }
    }
}

/// <summary>
/// An AgentBridge client as docs/protocol.md has it: de-duplicates by <c>seq</c>, and after any close reconnects and
/// resumes with its last <c>seq</c> and epoch, ignoring live events until the <c>resumed</c> answer.
/// </summary>
internal sealed class AgentBridgeFaultClient(int user) : FaultClient(user)
{
    private readonly CancellationTokenSource _stop = new();
    private Uri? _uri;
    private CookieContainer? _cookies;
    private Task _loop = Task.CompletedTask;
    private long _lastSeq;
    private string? _epoch;

    public override async Task ConnectAsync(Uri server, CookieContainer cookies)
    {
        _uri = new UriBuilder(server) { Scheme = "ws", Path = "/agent-events" }.Uri;
        _cookies = cookies;
        var socket = await OpenAsync();
        _loop = Task.Run(() => RunAsync(socket));
    }

    public override async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _loop.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { });
        _stop.Dispose();
    }

    private async Task<ClientWebSocket> OpenAsync()
    {
        var socket = new ClientWebSocket();
        socket.Options.Cookies = _cookies;
        await socket.ConnectAsync(_uri!, _stop.Token);
        var resume = _epoch is null
            ? JsonSerializer.Serialize(new { type = "resume", lastSeq = _lastSeq })
            : JsonSerializer.Serialize(new { type = "resume", lastSeq = _lastSeq, epoch = _epoch });
        await socket.SendAsync(Encoding.UTF8.GetBytes(resume), WebSocketMessageType.Text, endOfMessage: true, _stop.Token);
        return socket;
    }

    private async Task RunAsync(ClientWebSocket socket)
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await ReadAsync(socket);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
            }

            socket.Dispose();
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(200, _stop.Token);
                    socket = await OpenAsync();
                    Reconnects++;
                    break;
                }
                catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
                {
                }
            }
        }
    }

    private async Task ReadAsync(ClientWebSocket socket)
    {
        var buffer = new byte[16 * 1024];
        var waitingForResume = true;
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

                result = await socket.ReceiveAsync(buffer.AsMemory(total), _stop.Token);
                total += result.Count;
            }
            while (!result.EndOfMessage);

            if (result.MessageType == WebSocketMessageType.Close)
            {
                return;
            }

            var frame = buffer.AsSpan(0, total);
            if (WebSocketClientConnection.TryParse(frame, out var seq, out var u, out var n, out _))
            {
                if (!waitingForResume && seq > _lastSeq)
                {
                    _lastSeq = seq;
                    Record(u, n);
                }

                continue;
            }

            using var document = JsonDocument.Parse(buffer.AsMemory(0, total));
            if (document.RootElement.GetProperty("type").GetString() == "resumed")
            {
                waitingForResume = false;
                _epoch = document.RootElement.GetProperty("epoch").GetString();
                if (!document.RootElement.GetProperty("recovered").GetBoolean())
                {
                    // The events in between are gone and the client was told: it would reload its state here.
                    NotRecovered++;
                    _lastSeq = document.RootElement.GetProperty("oldestSeq").GetInt64() - 1;
                }
            }
        }
    }
}

/// <summary>A SignalR client with automatic reconnect, as SignalR's docs recommend.</summary>
internal sealed class SignalRFaultClient(int user) : FaultClient(user)
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
            .WithAutomaticReconnect()
            .Build();
        _connection.On<BenchEvent>("event", e => Record(e.Data.U, e.Data.N));
        _connection.Reconnected += _ =>
        {
            Reconnects++;
            return Task.CompletedTask;
        };
        await _connection.StartAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }
    }
}
