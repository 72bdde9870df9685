namespace AgentBridge.Delivery;

/// <summary>A numbered event as sent on the wire: one immutable UTF-8 JSON text frame shared by every connection.</summary>
internal sealed class EventFrame
{
    public EventFrame(long seq, byte[] utf8, long createdTicks)
    {
        Seq = seq;
        Utf8 = utf8;
        CreatedTicks = createdTicks;
    }

    /// <summary>The user's sequence number of the event.</summary>
    public long Seq { get; }

    /// <summary>The whole frame.</summary>
    public byte[] Utf8 { get; }

    /// <summary>When the frame was numbered (<see cref="System.Diagnostics.Stopwatch"/> ticks), for the replay window's age.</summary>
    public long CreatedTicks { get; }
}
