using System.Buffers;

namespace AgentBridge.Delivery;

/// <summary>
/// An event serialized once, before it has a sequence number: <see cref="Tail"/> holds every field of the
/// frame but <c>seq</c>, so that numbering it costs one copy, whatever the number of connections. The tail
/// lives in a pooled array: <see cref="Dispose"/> returns it once the event has been published.
/// </summary>
internal sealed class PreparedEvent : IDisposable
{
    private byte[]? _rented;
    private readonly int _length;

    public PreparedEvent(string type, ReadOnlySpan<byte> tail)
    {
        Type = type;
        _rented = ArrayPool<byte>.Shared.Rent(tail.Length);
        tail.CopyTo(_rented);
        _length = tail.Length;
    }

    /// <summary>The event type, for logs and metrics.</summary>
    public string Type { get; }

    /// <summary>The frame's JSON from the first field after <c>seq</c> to the closing brace.</summary>
    public ReadOnlySpan<byte> Tail => (_rented ?? throw new ObjectDisposedException(nameof(PreparedEvent))).AsSpan(0, _length);

    public void Dispose()
    {
        var rented = Interlocked.Exchange(ref _rented, null);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
