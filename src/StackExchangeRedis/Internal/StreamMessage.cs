using System.Buffers.Text;
using System.Text;

namespace AgentBridge.StackExchangeRedis;

/// <summary>
/// An event as announced on a user's channel: <c>epoch|target|frame</c>, where the frame starts with
/// <c>{"seq":N,</c> and the target is the one connection it is for (empty for all of the user's connections).
/// </summary>
internal readonly struct StreamMessage
{
    private static readonly byte[] SeqPrefix = "{\"seq\":"u8.ToArray();

    private StreamMessage(ReadOnlyMemory<byte> epoch, string? target, long seq, ReadOnlyMemory<byte> frame)
    {
        Epoch = epoch;
        Target = target;
        Seq = seq;
        Frame = frame;
    }

    /// <summary>The epoch of the stream the event was numbered in, as UTF-8.</summary>
    public ReadOnlyMemory<byte> Epoch { get; }

    public string? Target { get; }

    public long Seq { get; }

    /// <summary>The whole frame, a slice of the message.</summary>
    public ReadOnlyMemory<byte> Frame { get; }

    public static bool TryParse(ReadOnlyMemory<byte> payload, out StreamMessage message)
    {
        message = default;
        var span = payload.Span;
        var first = span.IndexOf((byte)'|');
        if (first <= 0)
        {
            return false;
        }

        var second = span[(first + 1)..].IndexOf((byte)'|');
        if (second < 0)
        {
            return false;
        }

        second += first + 1;
        var frame = payload[(second + 1)..];
        if (!TryReadSeq(frame.Span, out var seq))
        {
            return false;
        }

        var target = second > first + 1 ? Encoding.UTF8.GetString(span[(first + 1)..second]) : null;
        message = new StreamMessage(payload[..first], target, seq, frame);
        return true;
    }

    private static bool TryReadSeq(ReadOnlySpan<byte> frame, out long seq)
    {
        seq = 0;
        return frame.StartsWith(SeqPrefix)
            && Utf8Parser.TryParse(frame[SeqPrefix.Length..], out seq, out var consumed)
            && consumed > 0
            && seq > 0;
    }
}
