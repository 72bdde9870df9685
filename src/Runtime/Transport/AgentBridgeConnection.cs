using System.Buffers;
using System.Runtime.InteropServices;
using System.Net.WebSockets;
using System.Threading.Channels;
using AgentBridge.Delivery;
using AgentBridge.Diagnostics;
using Microsoft.Extensions.Logging;

namespace AgentBridge.Transport;

/// <summary>
/// One event socket of one user. Everything sent on it goes through one queue and one send loop, so no two
/// sends ever overlap on the socket (a <see cref="WebSocket"/> allows one outstanding send).
/// </summary>
internal sealed class AgentBridgeConnection : AgentEventConnection, IDisposable
{
    private readonly Channel<Outbound> _queue = Channel.CreateUnbounded<Outbound>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false, AllowSynchronousContinuations = false });

    private readonly CancellationTokenSource _abort = new();
    private readonly AgentBridgeOptions _options;
    private readonly AgentBridgeMetrics _metrics;
    private readonly ILogger _logger;
    private int _queuedEvents;
    private long _queuedBytes;
    private CloseRequest? _close;
    private const int SmallReceiveBufferSize = 256;
    private readonly TaskCompletionSource _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private WebSocket? _socket;

    public AgentBridgeConnection(string id, string userId, AgentBridgeOptions options, AgentBridgeMetrics metrics, ILogger logger)
    {
        Id = id;
        UserId = userId;
        _options = options;
        _metrics = metrics;
        _logger = logger;
    }

    public string Id { get; }

    public override string ConnectionId => Id;

    public override string UserId { get; }

    /// <summary>The socket, once the upgrade was accepted. Events may be queued before that.</summary>
    private WebSocket Socket => _socket ?? throw new InvalidOperationException("The connection has not been accepted yet.");

    /// <summary>Completes when both loops have ended.</summary>
    public Task Completion => _completed.Task;

    /// <summary>Raised once, when the connection starts closing, so that it stops receiving events.</summary>
    public event Action<AgentBridgeConnection>? Closing;

    /// <summary>The close code and reason the server chose, once it chose one.</summary>
    public CloseRequest? CloseRequested => Volatile.Read(ref _close);

    /// <summary>Queues a live event, unless the queue's bounds are reached: then the connection is closed with
    /// <see cref="AgentBridgeCloseCodes.QueueOverflow"/> and the event waits in the replay window instead. A refused
    /// event is counted as dropped.</summary>
    public override bool TryWriteEvent(AgentEventFrame frame)
    {
        if (TryEnqueueEvent(AsArray(frame.Utf8)))
        {
            return true;
        }

        _metrics.EventsDropped.Add(1);
        return false;
    }

    /// <inheritdoc />
    public override bool TryWriteResumed(bool recovered, string epoch, long lastSeq, long oldestSeq, IEnumerable<AgentEventFrame> replay)
    {
        var answer = EventSerializer.Control(writer =>
        {
            writer.WriteString("type", "resumed");
            writer.WriteBoolean("recovered", recovered);
            writer.WriteString("epoch", epoch);
            writer.WriteNumber("lastSeq", lastSeq);
            writer.WriteNumber("oldestSeq", oldestSeq);
        });
        if (!EnqueueUnbounded(answer))
        {
            return false;
        }

        foreach (var frame in replay)
        {
            if (!EnqueueUnbounded(AsArray(frame.Utf8)))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public override void Close(int closeCode, string reason) => RequestClose(closeCode, reason, drain: true);

    /// <summary>Queues a control message or a replayed event; these are bounded by the protocol, not by the queue limits.</summary>
    public bool EnqueueUnbounded(byte[] utf8) =>
        Volatile.Read(ref _close) is null && _queue.Writer.TryWrite(new Outbound(utf8, Counted: false));

    /// <summary>
    /// The frame's own array when it has one (frames from <see cref="PreparedAgentEvent.ToFrame"/> and the Redis
    /// streams do), so that every connection queues the same bytes without a copy; a copy otherwise.
    /// </summary>
    private static byte[] AsArray(ReadOnlyMemory<byte> utf8) =>
        MemoryMarshal.TryGetArray(utf8, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : utf8.ToArray();

    private bool TryEnqueueEvent(byte[] utf8)
    {
        if (Volatile.Read(ref _close) is not null)
        {
            return false;
        }

        var count = Interlocked.Increment(ref _queuedEvents);
        var bytes = Interlocked.Add(ref _queuedBytes, utf8.Length);
        if (count > _options.MaxQueuedEventsPerConnection || bytes > _options.MaxQueuedBytesPerConnection)
        {
            Interlocked.Decrement(ref _queuedEvents);
            Interlocked.Add(ref _queuedBytes, -utf8.Length);
            Log.QueueOverflow(_logger, Id, AgentBridgeCloseCodes.QueueOverflow);
            RequestClose(AgentBridgeCloseCodes.QueueOverflow, "queue overflow: resume to recover", drain: false);
            return false;
        }

        if (!_queue.Writer.TryWrite(new Outbound(utf8, Counted: true)))
        {
            Interlocked.Decrement(ref _queuedEvents);
            Interlocked.Add(ref _queuedBytes, -utf8.Length);
            return false;
        }

        return true;
    }

    /// <summary>
    /// Starts closing the connection. With <paramref name="drain"/> the events already queued are sent first;
    /// either way the socket is aborted if the close has not finished within <see cref="AgentBridgeOptions.CloseTimeout"/>.
    /// </summary>
    public void RequestClose(int closeCode, string reason, bool drain)
    {
        if (Interlocked.CompareExchange(ref _close, new CloseRequest(closeCode, reason, drain), null) is not null)
        {
            return;
        }

        _queue.Writer.TryComplete();
        try
        {
            _abort.CancelAfter(_options.CloseTimeout);
        }
        catch (ObjectDisposedException)
        {
            // Already finished.
        }

        Closing?.Invoke(this);
    }

    /// <summary>Runs the send and receive loops on the accepted socket until the connection is closed.</summary>
    public async Task RunAsync(WebSocket socket, Func<AgentBridgeConnection, ReadOnlyMemory<byte>, Task> onClientMessage)
    {
        _socket = socket;

        // Sends pass no token (a cancellable send costs ManagedWebSocket extra work on every frame); aborting the
        // socket is what ends a send that must not finish: after CloseTimeout, or on a transport error.
        using var abortRegistration = _abort.Token.Register(static state => ((WebSocket)state!).Abort(), socket);
        try
        {
            var send = SendLoopAsync();
            var receive = ReceiveLoopAsync(onClientMessage);
            await Task.WhenAll(send, receive).ConfigureAwait(false);
            var close = CloseRequested;
            Log.ConnectionClosed(_logger, Id, close?.Code ?? AgentBridgeCloseCodes.NormalClosure, close?.Reason ?? string.Empty);
        }
        finally
        {
            _completed.TrySetResult();
        }
    }

    public void Dispose() => _abort.Dispose();

    private async Task SendLoopAsync()
    {
        try
        {
            await SendQueuedAsync().ConfigureAwait(false);
            var close = CloseRequested ?? new CloseRequest(AgentBridgeCloseCodes.NormalClosure, "closed", Drain: false);
            if (Socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await Socket.CloseOutputAsync((WebSocketCloseStatus)close.Code, close.Reason, _abort.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            Log.TransportError(_logger, Id, ex);
            RequestClose(AgentBridgeCloseCodes.InternalError, "transport error", drain: false);
            AbortIfStillOpen();
        }
        finally
        {
            DropQueued();
        }
    }

    /// <summary>Sends until the queue is completed, or until a close that does not drain was requested.</summary>
    private async Task SendQueuedAsync()
    {
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync(_abort.Token).ConfigureAwait(false))
        {
            while (reader.TryRead(out var message))
            {
                if (Volatile.Read(ref _close) is { Drain: false })
                {
                    return;
                }

                await Socket.SendAsync(message.Utf8, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None).ConfigureAwait(false);
                if (message.Counted)
                {
                    Interlocked.Decrement(ref _queuedEvents);
                    Interlocked.Add(ref _queuedBytes, -message.Utf8.Length);
                    _metrics.EventsDelivered.Add(1);
                }
            }
        }
    }

    private async Task ReceiveLoopAsync(Func<AgentBridgeConnection, ReadOnlyMemory<byte>, Task> onClientMessage)
    {
        // An idle connection holds only a small buffer; a message that outgrows it borrows one of the full
        // allowed size from the pool until it has been handled.
        var max = _options.MaxClientMessageSize;
        var small = new byte[Math.Min(SmallReceiveBufferSize, max)];
        var buffer = small;
        var windowStart = Environment.TickCount64;
        var messagesInWindow = 0;
        try
        {
            while (true)
            {
                var total = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    var capacity = Math.Min(buffer.Length, max);
                    if (total == capacity)
                    {
                        if (capacity == max)
                        {
                            RequestClose(AgentBridgeCloseCodes.MessageTooBig, $"messages are limited to {max} bytes", drain: false);
                            await DrainUntilClosedAsync(small).ConfigureAwait(false);
                            return;
                        }

                        var large = ArrayPool<byte>.Shared.Rent(max);
                        buffer.AsSpan(0, total).CopyTo(large);
                        buffer = large;
                        capacity = max;
                    }

                    result = await Socket.ReceiveAsync(buffer.AsMemory(total, capacity - total), _abort.Token).ConfigureAwait(false);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        RequestClose(AgentBridgeCloseCodes.NormalClosure, "closed by the client", drain: false);
                        return;
                    }

                    total += result.Count;
                }
                while (!result.EndOfMessage);

                if (result.MessageType == WebSocketMessageType.Binary)
                {
                    RequestClose(AgentBridgeCloseCodes.UnsupportedData, "binary frames are not accepted", drain: false);
                    await DrainUntilClosedAsync(small).ConfigureAwait(false);
                    return;
                }

                var now = Environment.TickCount64;
                if (now - windowStart >= 1000)
                {
                    windowStart = now;
                    messagesInWindow = 0;
                }

                if (++messagesInWindow > _options.MaxClientMessagesPerSecond)
                {
                    RequestClose(AgentBridgeCloseCodes.PolicyViolation, "too many messages", drain: false);
                    await DrainUntilClosedAsync(small).ConfigureAwait(false);
                    return;
                }

                await onClientMessage(this, buffer.AsMemory(0, total)).ConfigureAwait(false);
                if (!ReferenceEquals(buffer, small))
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = small;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            // Not aborted from here: when the WebSocket refused what the client sent (text that is not UTF-8,
            // 1007; a protocol error, 1002) it has already sent its close frame, and an abort could reset the
            // connection before the client read it. A connection that is really gone ends by itself, and the
            // close timeout that RequestClose starts bounds every other case.
            Log.TransportError(_logger, Id, ex);
            RequestClose(AgentBridgeCloseCodes.InternalError, "transport error or refused client data", drain: false);
        }
        finally
        {
            if (!ReferenceEquals(buffer, small))
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>After the server decided to close, reads and discards until the client's close frame arrives.</summary>
    private async Task DrainUntilClosedAsync(byte[] buffer)
    {
        while (true)
        {
            var result = await Socket.ReceiveAsync(buffer.AsMemory(), _abort.Token).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Aborts a socket that a failed loop leaves open. One that the WebSocket already closed is left alone: an
    /// abort would reset the TCP connection and could destroy a close frame the client has not read yet.
    /// </summary>
    private void AbortIfStillOpen()
    {
        if (_socket?.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            CancelNow();
        }
    }

    private void CancelNow()
    {
        try
        {
            _abort.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already finished.
        }
    }

    private void DropQueued()
    {
        var dropped = 0;
        while (_queue.Reader.TryRead(out var message))
        {
            if (message.Counted)
            {
                dropped++;
            }
        }

        if (dropped > 0)
        {
            _metrics.EventsDropped.Add(dropped);
        }
    }

    private readonly record struct Outbound(byte[] Utf8, bool Counted);
}

/// <summary>Why and how the server closes a connection.</summary>
internal sealed record CloseRequest(int Code, string Reason, bool Drain);
