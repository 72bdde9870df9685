using System.Buffers.Binary;
using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Security.Claims;
using System.Text;
using System.Threading.Channels;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentBridge.Benchmarks.Runtime;

/// <summary>
/// The server process of one contender (<c>--server agentbridge|signalr|raw</c>): Kestrel on 127.0.0.1, cookie
/// authentication, the contender's socket endpoint, and a small control surface for the harness
/// (<c>/ctl/*</c>) so that allocations and memory are read in a process that runs no client code.
/// </summary>
internal static class Server
{
    public static async Task<int> RunAsync(string contender)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services
            .AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o => o.Events.OnRedirectToLogin = c =>
            {
                c.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return Task.CompletedTask;
            });
        builder.Services.AddAuthorization();
        builder.Services.AddSingleton<Pacer>();
        switch (contender)
        {
            case Contender.AgentBridge:
                builder.Services.AddAgentBridge();
                builder.Services.AddSingleton<IEmitter, AgentBridgeEmitter>();
                break;
            case Contender.SignalR:
                builder.Services.AddSignalR();
                builder.Services.AddSingleton<HubConnectionCount>();
                builder.Services.AddSingleton<IEmitter, SignalREmitter>();
                break;
            case Contender.Raw:
                builder.Services.AddSingleton<RawHub>();
                builder.Services.AddSingleton<IEmitter>(sp => sp.GetRequiredService<RawHub>());
                break;
            default:
                await Console.Error.WriteLineAsync("unknown contender " + contender);
                return 2;
        }

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/login", async (HttpContext http, string user) =>
        {
            var identity = new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, user)], CookieAuthenticationDefaults.AuthenticationScheme);
            await http.SignInAsync(new ClaimsPrincipal(identity));
            return Results.Ok();
        });

        switch (contender)
        {
            case Contender.AgentBridge:
                app.MapAgentBridge("/agent-events");
                break;
            case Contender.SignalR:
                app.MapHub<BenchHub>("/hub", o => o.Transports = Microsoft.AspNetCore.Http.Connections.HttpTransportType.WebSockets)
                    .RequireAuthorization();
                break;
            case Contender.Raw:
                MapWebSocket(app, "/raw", app.Services.GetRequiredService<RawHub>().HandleAsync);
                break;
        }

        var emitter = app.Services.GetRequiredService<IEmitter>();
        var pacer = app.Services.GetRequiredService<Pacer>();
        MapWebSocket(app, "/ctl/acks", pacer.HandleAckSocketAsync);
        app.MapGet("/ctl/connections", (int users) => Results.Text(emitter.ConnectionCount(users).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        app.MapGet("/ctl/stats", () =>
        {
            using var process = Process.GetCurrentProcess();
            return Results.Text(string.Join(' ',
                GC.GetTotalAllocatedBytes(precise: true),
                process.TotalProcessorTime.Ticks,
                GC.CollectionCount(0),
                GC.CollectionCount(1),
                GC.CollectionCount(2)));
        });
        app.MapGet("/ctl/mem", () =>
        {
            for (var i = 0; i < 3; i++)
            {
                GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
                GC.WaitForPendingFinalizers();
            }

            using var process = Process.GetCurrentProcess();
            return Results.Text(string.Join(' ', GC.GetTotalMemory(forceFullCollection: true), process.WorkingSet64, process.PrivateMemorySize64));
        });
        app.MapPost("/ctl/run", async (int users, int events, int window, long start, int text) =>
        {
            emitter.BeginRound(users, text);
            pacer.BeginRound(users, window, start);
            var stopwatch = Stopwatch.StartNew();
            var tasks = new Task[users];
            for (var u = 0; u < users; u++)
            {
                var user = u;
                tasks[u] = Task.Run(async () =>
                {
                    var gate = pacer.Gate(user);
                    for (var n = start + 1; n <= start + events; n++)
                    {
                        await gate.WaitAsync();
                        await emitter.EmitAsync(user, n, Stopwatch.GetTimestamp());
                    }
                });
            }

            await Task.WhenAll(tasks);
            return Results.Text(stopwatch.Elapsed.TotalMilliseconds.ToString("F1", System.Globalization.CultureInfo.InvariantCulture));
        });

        await app.StartAsync();
        Console.WriteLine("LISTENING " + app.Urls.Single());
        Console.Out.Flush();

        // The harness ends the server by closing its standard input.
        await Task.Run(() => Console.In.ReadToEnd());
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await app.StopAsync(stop.Token);
        }
        catch (OperationCanceledException)
        {
            // Good enough for a benchmark server.
        }

        return 0;
    }

    private static void MapWebSocket(WebApplication app, string pattern, RequestDelegate handler)
    {
        var pipeline = ((IEndpointRouteBuilder)app).CreateApplicationBuilder();
        pipeline.UseWebSockets();
        pipeline.Run(handler);
        app.Map(pattern, pipeline.Build());
    }
}

/// <summary>What the server does for one event of one user, per contender.</summary>
internal interface IEmitter
{
    /// <summary>Prepares a round for users 0..<paramref name="users"/>-1 (per-user bridges or proxies, made once per run as an app would).</summary>
    void BeginRound(int users, int textLength);

    ValueTask EmitAsync(int user, long n, long emitTicks);

    int ConnectionCount(int users);
}

/// <summary>AgentBridge the way an app uses it: a bridge from the factory per user context, <c>EmitAsync</c> per event.</summary>
internal sealed class AgentBridgeEmitter(IAgentWebSocketBridgeFactory factory, WebSocketConnectionManager manager) : IEmitter
{
    private AgentWebSocketBridge[] _bridges = [];
    private string _text = string.Empty;

    public void BeginRound(int users, int textLength)
    {
        _text = Bench.Text(textLength);
        _bridges = new AgentWebSocketBridge[users];
        for (var u = 0; u < users; u++)
        {
            _bridges[u] = factory.Create(UserExecutionContext.Create(Bench.UserId(u), Bench.ThreadId(u)));
        }
    }

    public ValueTask EmitAsync(int user, long n, long emitTicks) =>
        new(_bridges[user].EmitAsync(new AgentEvent(Bench.EventType, new BenchData(user, n, emitTicks, _text))));

    public int ConnectionCount(int users)
    {
        var total = 0;
        for (var u = 0; u < users; u++)
        {
            total += manager.GetConnectionCount(Bench.UserId(u));
        }

        return total;
    }
}

/// <summary>How many connections the hub has: a singleton, since a hub instance lives for one call.</summary>
internal sealed class HubConnectionCount
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public void Add(int delta) => Interlocked.Add(ref _count, delta);
}

/// <summary>The hub clients connect to; the server pushes through <see cref="IHubContext{THub}"/>.</summary>
internal sealed class BenchHub(HubConnectionCount connections) : Hub
{
    public override Task OnConnectedAsync()
    {
        connections.Add(1);
        return Task.CompletedTask;
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        connections.Add(-1);
        return Task.CompletedTask;
    }
}

/// <summary>SignalR as its docs recommend for per-user pushes: <c>IHubContext&lt;THub&gt;.Clients.User(id).SendAsync</c>.</summary>
internal sealed class SignalREmitter(IHubContext<BenchHub> hub, HubConnectionCount connections) : IEmitter
{
    private IClientProxy[] _users = [];
    private UserExecutionContext[] _contexts = [];
    private string _text = string.Empty;

    public void BeginRound(int users, int textLength)
    {
        _text = Bench.Text(textLength);
        _users = new IClientProxy[users];
        _contexts = new UserExecutionContext[users];
        for (var u = 0; u < users; u++)
        {
            _users[u] = hub.Clients.User(Bench.UserId(u));
            _contexts[u] = UserExecutionContext.Create(Bench.UserId(u), Bench.ThreadId(u));
        }
    }

    public ValueTask EmitAsync(int user, long n, long emitTicks)
    {
        var context = _contexts[user];
        var payload = new BenchEvent(Bench.EventType, n, context.ThreadId, context.RunId, DateTimeOffset.UtcNow, new BenchData(user, n, emitTicks, _text));
        return new(_users[user].SendAsync("event", payload));
    }

    public int ConnectionCount(int users) => connections.Count;
}

/// <summary>
/// The raw baseline: one writer per socket (a channel and one send loop), frames built from pre-serialized
/// pieces with only the numbers formatted per event, no sequencing, replay window or queue bounds.
/// </summary>
internal sealed class RawHub : IEmitter
{
    private static readonly byte[] SeqPrefix = "{\"seq\":"u8.ToArray();
    private static readonly byte[] TPrefix = ",\"t\":"u8.ToArray();
    private static readonly bool LeakFault = Environment.GetEnvironmentVariable("BENCH_FAULT") == "leak";
    private readonly ConcurrentDictionary<string, RawConnection[]> _users = new(StringComparer.Ordinal);
    private int _connections;
    private RawConnection[][] _byIndex = [];
    private byte[][] _middles = [];
    private byte[] _tail = [];

    public void BeginRound(int users, int textLength)
    {
        _byIndex = new RawConnection[users][];
        _middles = new byte[users][];
        for (var u = 0; u < users; u++)
        {
            _byIndex[u] = _users.GetValueOrDefault(Bench.UserId(u)) ?? [];
            var context = UserExecutionContext.Create(Bench.UserId(u), Bench.ThreadId(u));
            _middles[u] = Encoding.UTF8.GetBytes(
                ",\"type\":\"" + Bench.EventType + "\",\"threadId\":\"" + context.ThreadId + "\",\"runId\":\"" + context.RunId
                + "\",\"timestamp\":\"" + DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture)
                + "\",\"data\":{\"u\":" + u.ToString(System.Globalization.CultureInfo.InvariantCulture) + ",\"n\":");
        }

        _tail = Encoding.UTF8.GetBytes(",\"text\":\"" + Bench.Text(textLength) + "\"}}");
    }

    public ValueTask EmitAsync(int user, long n, long emitTicks)
    {
        Span<byte> nDigits = stackalloc byte[20];
        Span<byte> tDigits = stackalloc byte[20];
        Utf8Formatter.TryFormat(n, nDigits, out var nLength);
        Utf8Formatter.TryFormat(emitTicks, tDigits, out var tLength);
        var middle = _middles[user];
        var frame = new byte[SeqPrefix.Length + nLength + middle.Length + nLength + TPrefix.Length + tLength + _tail.Length];
        var span = frame.AsSpan();
        SeqPrefix.CopyTo(span);
        var at = SeqPrefix.Length;
        nDigits[..nLength].CopyTo(span[at..]);
        at += nLength;
        middle.CopyTo(span[at..]);
        at += middle.Length;
        nDigits[..nLength].CopyTo(span[at..]);
        at += nLength;
        TPrefix.CopyTo(span[at..]);
        at += TPrefix.Length;
        tDigits[..tLength].CopyTo(span[at..]);
        at += tLength;
        _tail.CopyTo(span[at..]);
        foreach (var connection in _byIndex[user])
        {
            connection.Queue.Writer.TryWrite(frame);
        }

        if (LeakFault && user == 0 && _byIndex.Length > 1)
        {
            // Self-test of the harness's count check (BENCH_FAULT=leak): user 0's events also reach user 1.
            foreach (var connection in _byIndex[1])
            {
                connection.Queue.Writer.TryWrite(frame);
            }
        }

        return ValueTask.CompletedTask;
    }

    public int ConnectionCount(int users) => Volatile.Read(ref _connections);

    public async Task HandleAsync(HttpContext context)
    {
        var userId = context.User.FindFirstValue(ClaimTypes.NameIdentifier);
        if (!context.WebSockets.IsWebSocketRequest || context.User.Identity?.IsAuthenticated != true || userId is null)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { KeepAliveInterval = TimeSpan.FromSeconds(15) });
        var connection = new RawConnection(socket);
        _users.AddOrUpdate(userId, static (_, c) => [c], static (_, old, c) => [.. old, c], connection);
        Interlocked.Increment(ref _connections);
        try
        {
            var send = connection.SendLoopAsync();
            var buffer = new byte[1024];
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
            }

            connection.Queue.Writer.TryComplete();
            await send;
            if (socket.State == WebSocketState.CloseReceived)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
            }
        }
        catch (WebSocketException)
        {
            // The client went away.
        }
        finally
        {
            connection.Queue.Writer.TryComplete();
            Interlocked.Decrement(ref _connections);
            while (true)
            {
                var old = _users[userId];
                if (_users.TryUpdate(userId, Array.FindAll(old, c => !ReferenceEquals(c, connection)), old))
                {
                    break;
                }
            }
        }
    }

    internal sealed class RawConnection(WebSocket socket)
    {
        public Channel<byte[]> Queue { get; } = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });

        public async Task SendLoopAsync()
        {
            var reader = Queue.Reader;
            try
            {
                while (await reader.WaitToReadAsync())
                {
                    while (reader.TryRead(out var frame))
                    {
                        await socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
                    }
                }
            }
            catch (WebSocketException)
            {
                // The client went away.
            }
        }
    }
}

/// <summary>
/// The closed loop: each user's emitter may run at most <c>window</c> events ahead of what the slowest of
/// that user's connections has acknowledged. The harness sends cumulative acknowledgements
/// (user index, counter) over one control socket, so the pacing costs every contender the same.
/// </summary>
internal sealed class Pacer
{
    private SemaphoreSlim[] _gates = [];
    private long[] _acked = [];

    public void BeginRound(int users, int window, long start)
    {
        var acked = new long[users];
        Array.Fill(acked, start);
        var gates = new SemaphoreSlim[users];
        for (var u = 0; u < users; u++)
        {
            gates[u] = new SemaphoreSlim(window);
        }

        lock (this)
        {
            _acked = acked;
            _gates = gates;
        }
    }

    public SemaphoreSlim Gate(int user) => _gates[user];

    public async Task HandleAckSocketAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var total = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(buffer.AsMemory(total), CancellationToken.None);
                    total += result.Count;
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                lock (this)
                {
                    for (var at = 0; at + 12 <= total; at += 12)
                    {
                        var user = BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(at));
                        var acked = BinaryPrimitives.ReadInt64LittleEndian(buffer.AsSpan(at + 4));
                        if (user < _acked.Length && acked > _acked[user])
                        {
                            _gates[user].Release((int)(acked - _acked[user]));
                            _acked[user] = acked;
                        }
                    }
                }
            }
        }
        catch (WebSocketException)
        {
            // The harness went away.
        }
    }
}
