using System.Text.Json;

namespace AgentBridge.AgUi;

/// <summary>
/// The body of an AG-UI run request (<c>RunAgentInput</c> of AG-UI 1.0), as the AG-UI endpoint read it. Its
/// <see cref="ThreadId"/> and <see cref="RunId"/> name the conversation and the run; they never choose the user,
/// who is the signed-in principal.
/// </summary>
public sealed class RunAgentInput
{
    internal RunAgentInput(
        string threadId,
        string runId,
        string? parentRunId,
        IReadOnlyList<AgUiMessage> messages,
        JsonElement? tools,
        JsonElement? context,
        JsonElement? state,
        JsonElement? forwardedProps)
    {
        ThreadId = threadId;
        RunId = runId;
        ParentRunId = parentRunId;
        Messages = messages;
        Tools = tools;
        Context = context;
        State = state;
        ForwardedProps = forwardedProps;
    }

    /// <summary>The conversation thread.</summary>
    public string ThreadId { get; }

    /// <summary>The run the client asked for; the run's events carry it.</summary>
    public string RunId { get; }

    /// <summary>The run this one continues, when the client named one.</summary>
    public string? ParentRunId { get; }

    /// <summary>The conversation so far, in order.</summary>
    public IReadOnlyList<AgUiMessage> Messages { get; }

    /// <summary>The tools the front end offers the agent (an array of <c>{name, description, parameters}</c>), when sent.</summary>
    public JsonElement? Tools { get; }

    /// <summary>The context entries of the run (an array of <c>{description, value}</c>), when sent.</summary>
    public JsonElement? Context { get; }

    /// <summary>The front end's agent state, when sent.</summary>
    public JsonElement? State { get; }

    /// <summary>Properties the front end forwards to the agent as they are, when sent.</summary>
    public JsonElement? ForwardedProps { get; }

    /// <summary>The text of the last message of the user, or <see langword="null"/> when there is none.</summary>
    public string? LastUserText => Messages.LastOrDefault(m => m.Role == AgUiMessage.UserRole)?.Content;
}
