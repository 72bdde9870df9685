namespace AgentBridge;

/// <summary>One event to deliver to a user: a type and the event's own data.</summary>
public sealed class AgentEvent
{
    /// <summary>Creates an event.</summary>
    /// <param name="type">The event type, usually one of <see cref="AgentEventTypes"/>.</param>
    /// <param name="data">The event's fields, serialized as JSON (camelCase) into the frame's <c>data</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="type"/> is null, empty or whitespace.</exception>
    public AgentEvent(string type, object? data = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(type);
        Type = type;
        Data = data;
    }

    /// <summary>The event type.</summary>
    public string Type { get; }

    /// <summary>The event's fields, or <see langword="null"/>.</summary>
    public object? Data { get; }
}
