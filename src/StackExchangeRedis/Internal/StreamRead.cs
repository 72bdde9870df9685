using StackExchange.Redis;

namespace AgentBridge.StackExchangeRedis;

/// <summary>What <see cref="LuaScripts.Read"/> answered: the stream's head and the entries asked for.</summary>
internal sealed class StreamRead
{
    private StreamRead(string epoch, long lastSeq, long oldestSeq, List<StreamEntryFrame> entries)
    {
        Epoch = epoch;
        LastSeq = lastSeq;
        OldestSeq = oldestSeq;
        Entries = entries;
    }

    public string Epoch { get; }

    public long LastSeq { get; }

    /// <summary>The oldest <c>seq</c> in the window; <see cref="LastSeq"/> + 1 when it is empty.</summary>
    public long OldestSeq { get; }

    public IReadOnlyList<StreamEntryFrame> Entries { get; }

    public static StreamRead Parse(RedisResult result)
    {
        var items = (RedisResult[])result!;
        var entries = new List<StreamEntryFrame>((items.Length - 3) / 3);
        for (var i = 3; i + 2 < items.Length; i += 3)
        {
            var seq = (long)items[i];
            var frame = (byte[])items[i + 1]!;
            var target = (string?)items[i + 2];
            entries.Add(new StreamEntryFrame(new AgentEventFrame(seq, frame), string.IsNullOrEmpty(target) ? null : target));
        }

        return new StreamRead((string)items[0]!, (long)items[1], (long)items[2], entries);
    }
}

/// <summary>An entry of the window: the frame and, for an event sent to one connection only, that connection.</summary>
internal readonly record struct StreamEntryFrame(AgentEventFrame Frame, string? Target);
