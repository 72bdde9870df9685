namespace AgentBridge.AgUi;

/// <summary>A tool call of an AG-UI <c>assistant</c> message.</summary>
public sealed class AgUiToolCall
{
    internal AgUiToolCall(string id, string name, string arguments)
    {
        Id = id;
        Name = name;
        Arguments = arguments;
    }

    /// <summary>The call's id, repeated by the <c>tool</c> message that answers it.</summary>
    public string Id { get; }

    /// <summary>The tool.</summary>
    public string Name { get; }

    /// <summary>The arguments as JSON text, as the model produced them.</summary>
    public string Arguments { get; }
}
