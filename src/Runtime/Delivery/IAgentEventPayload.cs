using System.Text.Json;

namespace AgentBridge.Delivery;

/// <summary>Event data that writes its own JSON, so the five standard events need no reflection.</summary>
internal interface IAgentEventPayload
{
    void Write(Utf8JsonWriter writer, JsonSerializerOptions options);
}
