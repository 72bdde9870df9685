using System.Buffers;
using System.Buffers.Text;

namespace AgentBridge;

/// <summary>
/// An event serialized once, before it has a sequence number: <see cref="Body"/> holds every field of the frame but
/// <c>seq</c>, so that numbering it costs one copy, whatever the number of connections. Made by the runtime and
/// handed to <see cref="AgentEventStreams"/>; valid only until the call it was handed to has completed (its bytes
/// are pooled and reused after that).
/// </summary>
public sealed class PreparedAgentEvent
{
    private static readonly byte[] SeqPrefix = "{\"seq\":"u8.ToArray();
    private byte[]? _rented;
    private readonly int _length;

    internal PreparedAgentEvent(string type, ReadOnlySpan<byte> body)
    {
        Type = type;
        _rented = ArrayPool<byte>.Shared.Rent(body.Length);
        body.CopyTo(_rented);
        _length = body.Length;
    }

    /// <summary>The event type, for logs.</summary>
    public string Type { get; }

    /// <summary>
    /// The frame's JSON from the first field after <c>seq</c> to the closing brace (<c>"type":…}</c>): the frame of
    /// sequence number N is <c>{"seq":N,</c> followed by these bytes (see <see cref="ToFrame"/>). Do not keep it past
    /// the call the event was handed to: copy it.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The call the event was handed to has completed.</exception>
    public ReadOnlyMemory<byte> Body => (_rented ?? throw new ObjectDisposedException(nameof(PreparedAgentEvent))).AsMemory(0, _length);

    /// <summary>Gives the event its sequence number: a new frame <c>{"seq":N,</c> followed by <see cref="Body"/>.</summary>
    /// <param name="seq">The user's sequence number of the event.</param>
    /// <returns>The frame, in an array of its own.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="seq"/> is less than 1.</exception>
    public AgentEventFrame ToFrame(long seq)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(seq, 1);
        var body = Body.Span;
        Span<byte> digits = stackalloc byte[20];
        Utf8Formatter.TryFormat(seq, digits, out var digitCount);
        var frame = new byte[SeqPrefix.Length + digitCount + 1 + body.Length];
        var span = frame.AsSpan();
        SeqPrefix.CopyTo(span);
        span = span[SeqPrefix.Length..];
        digits[..digitCount].CopyTo(span);
        span[digitCount] = (byte)',';
        body.CopyTo(span[(digitCount + 1)..]);
        return new AgentEventFrame(seq, frame);
    }

    /// <summary>Returns the pooled bytes once the streams are done with the event.</summary>
    internal void Release()
    {
        var rented = Interlocked.Exchange(ref _rented, null);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
