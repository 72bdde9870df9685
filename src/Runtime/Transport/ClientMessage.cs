using System.Text.Json;
using AgentBridge.Delivery;

namespace AgentBridge.Transport;

internal enum ClientMessageKind
{
    Invalid,
    Ping,
    Resume,
}

/// <summary>A message a client sent: <c>{"type":"ping"}</c> or <c>{"type":"resume","lastSeq":N}</c>; anything else is refused with an error code.</summary>
internal readonly record struct ClientMessage(ClientMessageKind Kind, long LastSeq, string? Epoch, string? ErrorCode, string? ErrorMessage)
{
    public static readonly byte[] Pong = EventSerializer.Control(w => w.WriteString("type", "pong"));

    /// <summary>The error codes of refused messages; see <c>docs/protocol.md</c>.</summary>
    public const string InvalidJson = "invalid_json";
    public const string UnknownType = "unknown_type";
    public const string InvalidResume = "invalid_resume";

    /// <summary>Not a refusal: the store of the streams could not answer a resume; the client sends it again later.</summary>
    public const string Unavailable = "unavailable";

    public static ClientMessage Parse(ReadOnlySpan<byte> utf8)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = 8 });
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
            {
                return Refuse(UnknownType, "a message must be a JSON object with a string 'type'");
            }

            switch (type.GetString())
            {
                case "ping":
                    return new ClientMessage(ClientMessageKind.Ping, 0, null, null, null);
                case "resume":
                    if (!root.TryGetProperty("lastSeq", out var lastSeq) || lastSeq.ValueKind != JsonValueKind.Number
                        || !lastSeq.TryGetInt64(out var seq) || seq < 0)
                    {
                        return Refuse(InvalidResume, "'lastSeq' must be an integer from 0 to 2^63-1");
                    }

                    string? epoch = null;
                    if (root.TryGetProperty("epoch", out var epochElement))
                    {
                        if (epochElement.ValueKind != JsonValueKind.String)
                        {
                            return Refuse(InvalidResume, "'epoch' must be a string");
                        }

                        epoch = epochElement.GetString();
                    }

                    return new ClientMessage(ClientMessageKind.Resume, seq, epoch, null, null);
                default:
                    return Refuse(UnknownType, "unknown message type; the server accepts 'resume' and 'ping'");
            }
        }
        catch (JsonException)
        {
            return Refuse(InvalidJson, "the message is not valid JSON");
        }
    }

    public static byte[] Error(string code, string message) => EventSerializer.Control(w =>
    {
        w.WriteString("type", "error");
        w.WriteString("code", code);
        w.WriteString("message", message);
    });

    private static ClientMessage Refuse(string code, string message) => new(ClientMessageKind.Invalid, 0, null, code, message);
}
