using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace AgentBridge.Runtime.Tests.Infrastructure;

/// <summary>A real <see cref="ClientWebSocket"/> that reads every frame the server sends into a queue.</summary>
public sealed class EventClient : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);

    private readonly Channel<JsonElement> _frames = Channel.CreateUnbounded<JsonElement>();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private Task? _reader;
    private int _framesReceived;

    private EventClient(ClientWebSocket socket)
    {
        Socket = socket;
    }

    public ClientWebSocket Socket { get; }

    /// <summary>How many frames arrived so far, for diagnostics.</summary>
    public int FramesReceived => Volatile.Read(ref _framesReceived);

    /// <summary>The close code the server sent, once the socket closed.</summary>
    public WebSocketCloseStatus? CloseStatus { get; private set; }

    public string? CloseDescription { get; private set; }

    /// <summary>Set when the connection ended without a close frame.</summary>
    public Exception? Fault { get; private set; }

    public static async Task<EventClient> ConnectAsync(Uri uri, Action<ClientWebSocketOptions> configure, bool startReading)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        configure(socket.Options);
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        await socket.ConnectAsync(uri, timeout.Token);
        var client = new EventClient(socket);
        if (startReading)
        {
            client.StartReading();
        }

        return client;
    }

    /// <summary>Tries to connect and returns the HTTP status the server answered the upgrade with.</summary>
    public static async Task<int> GetUpgradeStatusAsync(Uri uri, Action<ClientWebSocketOptions> configure)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        configure(socket.Options);
        try
        {
            await socket.ConnectAsync(uri, CancellationToken.None);
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            return (int)socket.HttpStatusCode;
        }
        catch (WebSocketException)
        {
            return (int)socket.HttpStatusCode;
        }
    }

    public void StartReading() => _reader ??= Task.Run(ReadLoopAsync);

    /// <summary>The next frame of any type.</summary>
    public async Task<JsonElement> NextAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            return await _frames.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No frame within {timeout ?? DefaultTimeout}.");
        }
        catch (ChannelClosedException)
        {
            throw new InvalidOperationException($"The socket closed ({CloseStatus} {CloseDescription}) before the next frame.", Fault);
        }
    }

    /// <summary>The next frame whose type is <paramref name="type"/>, skipping others.</summary>
    public async Task<JsonElement> NextOfTypeAsync(string type, TimeSpan? timeout = null)
    {
        while (true)
        {
            var frame = await NextAsync(timeout);
            if (frame.GetProperty("type").GetString() == type)
            {
                return frame;
            }
        }
    }

    /// <summary>The next <paramref name="count"/> event frames (those with a <c>seq</c>), skipping control messages.</summary>
    public async Task<List<JsonElement>> EventsAsync(int count, TimeSpan? timeout = null)
    {
        var events = new List<JsonElement>(count);
        while (events.Count < count)
        {
            var frame = await NextAsync(timeout);
            if (frame.TryGetProperty("seq", out _))
            {
                events.Add(frame);
            }
        }

        return events;
    }

    /// <summary>Whether a frame arrives within <paramref name="wait"/>; used after a barrier such as a ping.</summary>
    public bool TryTakeBuffered(out JsonElement frame) => _frames.Reader.TryRead(out frame);

    /// <summary>Sends a ping and waits for the pong: every frame the server queued before it has arrived.</summary>
    public async Task<List<JsonElement>> DrainWithPingAsync()
    {
        await SendTextAsync("""{"type":"ping"}""");
        var before = new List<JsonElement>();
        while (true)
        {
            var frame = await NextAsync();
            if (frame.GetProperty("type").GetString() == "pong")
            {
                return before;
            }

            before.Add(frame);
        }
    }

    public Task SendTextAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text);

    public async Task SendAsync(ReadOnlyMemory<byte> bytes, WebSocketMessageType type, bool endOfMessage = true)
    {
        await _sendLock.WaitAsync();
        try
        {
            await Socket.SendAsync(bytes, type, endOfMessage, CancellationToken.None);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Waits until the server closed the socket, and returns its close code.</summary>
    public async Task<WebSocketCloseStatus?> WaitClosedAsync(TimeSpan? timeout = null)
    {
        await _closed.Task.WaitAsync(timeout ?? DefaultTimeout);
        return CloseStatus;
    }

    /// <summary>Drops the TCP connection without a close frame, as a network failure would.</summary>
    public void Abort() => Socket.Abort();

    public async ValueTask DisposeAsync()
    {
        if (Socket.State == WebSocketState.Open)
        {
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cts.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
            }
        }

        Socket.Abort();
        if (_reader is not null)
        {
            await _reader.ConfigureAwait(false);
        }

        Socket.Dispose();
        _sendLock.Dispose();
    }

    private async Task ReadLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await Socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    CloseStatus = Socket.CloseStatus;
                    CloseDescription = Socket.CloseStatusDescription;
                    if (Socket.State == WebSocketState.CloseReceived)
                    {
                        await Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                    }

                    return;
                }

                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    using var document = JsonDocument.Parse(message.ToArray());
                    _frames.Writer.TryWrite(document.RootElement.Clone());
                    Interlocked.Increment(ref _framesReceived);
                    message.SetLength(0);
                }
            }
        }
        catch (Exception ex)
        {
            Fault = ex;
        }
        finally
        {
            _frames.Writer.TryComplete();
            _closed.TrySetResult();
        }
    }
}
