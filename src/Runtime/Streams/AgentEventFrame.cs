namespace AgentBridge;

/// <summary>
/// One numbered event exactly as it goes on the wire: a UTF-8 JSON text frame that starts with
/// <c>{"seq":N,</c>. One frame is shared by every connection of its user, so it must never be changed.
/// </summary>
public sealed class AgentEventFrame
{
    /// <summary>Wraps a frame.</summary>
    /// <param name="seq">The user's sequence number of the event, the <c>seq</c> the frame carries.</param>
    /// <param name="utf8">The whole frame, e.g. from <see cref="PreparedAgentEvent.ToFrame"/> or read back from a store.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="seq"/> is less than 1.</exception>
    public AgentEventFrame(long seq, ReadOnlyMemory<byte> utf8)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(seq, 1);
        Seq = seq;
        Utf8 = utf8;
    }

    /// <summary>The user's sequence number of the event.</summary>
    public long Seq { get; }

    /// <summary>The whole frame.</summary>
    public ReadOnlyMemory<byte> Utf8 { get; }
}
