using System.Buffers;
using System.Text.Json;

namespace AgentBridge.Delivery;

/// <summary>Writes events and control messages as the camelCase JSON frames of the wire protocol.</summary>
internal sealed class EventSerializer
{
    // A thread keeps its buffer between events, unless one event made it larger than this.
    private const int MaxRetainedBufferSize = 64 * 1024;

    private readonly JsonSerializerOptions _options;
    private readonly TimeProvider _time;

    public EventSerializer(JsonSerializerOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
    }

    /// <summary>Serializes everything of an event but its sequence number.</summary>
    /// <exception cref="ArgumentException">The event's data cannot be serialized to JSON.</exception>
    public PreparedAgentEvent Prepare(AgentEvent agentEvent, UserExecutionContext? context)
    {
        var scratch = Scratch.Rent();
        try
        {
            var writer = scratch.Writer;
            writer.WriteStartObject();
            writer.WriteString("type", agentEvent.Type);
            if (context is not null)
            {
                writer.WriteString("threadId", context.ThreadId);
                writer.WriteString("runId", context.RunId);
            }

            writer.WriteString("timestamp", _time.GetUtcNow());
            writer.WritePropertyName("data");
            switch (agentEvent.Data)
            {
                case null:
                    writer.WriteNullValue();
                    break;
                case IAgentEventPayload payload:
                    payload.Write(writer, _options);
                    break;
                default:
                    JsonSerializer.Serialize(writer, agentEvent.Data, agentEvent.Data.GetType(), _options);
                    break;
            }

            writer.WriteEndObject();
            writer.Flush();

            // Drop the opening brace: the frame is completed with "{\"seq\":N," when it is numbered.
            return new PreparedAgentEvent(agentEvent.Type, scratch.Buffer.WrittenSpan[1..]);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException)
        {
            throw new ArgumentException(
                $"The data of the '{agentEvent.Type}' event cannot be serialized to JSON: {ex.Message}",
                nameof(agentEvent),
                ex);
        }
        finally
        {
            scratch.Return();
        }
    }

    /// <summary>Serializes a control message (<c>resumed</c>, <c>pong</c>, <c>error</c>), which carries no <c>seq</c>.</summary>
    public static byte[] Control(Action<Utf8JsonWriter> writeFields)
    {
        var scratch = Scratch.Rent();
        try
        {
            scratch.Writer.WriteStartObject();
            writeFields(scratch.Writer);
            scratch.Writer.WriteEndObject();
            scratch.Writer.Flush();
            return scratch.Buffer.WrittenSpan.ToArray();
        }
        finally
        {
            scratch.Return();
        }
    }

    /// <summary>
    /// A thread's reusable buffer and writer: serializing an event allocates neither. A nested use on the same
    /// thread (a custom converter that emits, say) gets fresh ones instead of corrupting the outer event.
    /// </summary>
    private sealed class Scratch
    {
        [ThreadStatic]
        private static Scratch? t_cached;

        private Scratch()
        {
            Buffer = new ArrayBufferWriter<byte>(1024);
            Writer = new Utf8JsonWriter(Buffer);
        }

        public ArrayBufferWriter<byte> Buffer { get; private set; }

        public Utf8JsonWriter Writer { get; }

        public static Scratch Rent()
        {
            var scratch = t_cached ?? new Scratch();
            t_cached = null;
            return scratch;
        }

        public void Return()
        {
            // A buffer one large event grew past the limit is not kept.
            if (Buffer.Capacity > MaxRetainedBufferSize)
            {
                Buffer = new ArrayBufferWriter<byte>(1024);
            }
            else
            {
#if NET8_0_OR_GREATER
                Buffer.ResetWrittenCount();
#else
                Buffer.Clear();
#endif
            }

            Writer.Reset(Buffer);
            t_cached = this;
        }
    }
}
