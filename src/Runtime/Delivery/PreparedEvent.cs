namespace AgentBridge.Delivery;

/// <summary>
/// An event serialized once, before it has a sequence number: <see cref="Tail"/> holds every field of the
/// frame but <c>seq</c>, so that numbering it costs one copy, whatever the number of connections.
/// </summary>
internal sealed class PreparedEvent
{
    public PreparedEvent(string type, byte[] tail)
    {
        Type = type;
        Tail = tail;
    }

    /// <summary>The event type, for logs and metrics.</summary>
    public string Type { get; }

    /// <summary>The frame's JSON from the first field after <c>seq</c> to the closing brace.</summary>
    public byte[] Tail { get; }
}
