namespace AgentChat;

/// <summary>The body of <c>POST /api/runs</c>.</summary>
public sealed class StartRunRequest
{
    /// <summary>The fewest steps a run may take.</summary>
    public const int MinSteps = 1;

    /// <summary>The most steps a run may take.</summary>
    public const int MaxSteps = 50;

    /// <summary>The steps of a run that names none.</summary>
    public const int DefaultSteps = 3;

    /// <summary>The longest delay per step, in milliseconds.</summary>
    public const int MaxDelayMs = 10_000;

    /// <summary>The delay per step of a run that names none.</summary>
    public const int DefaultDelayMs = 50;

    /// <summary>What the user asked.</summary>
    public string Message { get; set; } = "Hello";

    /// <summary>How many think/tool steps the demo agent takes (1 to 50) before it answers.</summary>
    public int Steps { get; set; } = DefaultSteps;

    /// <summary>How long each step waits, in milliseconds (0 to 10,000).</summary>
    public int DelayMs { get; set; } = DefaultDelayMs;

    /// <summary>The conversation thread; a new one when absent.</summary>
    public string? ThreadId { get; set; }

    /// <summary>Returns the problems with the request, or <see langword="null"/> when it is valid.</summary>
    /// <returns>Errors by field.</returns>
    public Dictionary<string, string[]>? Validate()
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(Message) || Message.Length > 4000)
        {
            errors["message"] = ["must be 1 to 4,000 characters"];
        }

        if (Steps is < MinSteps or > MaxSteps)
        {
            errors["steps"] = ["must be from 1 to 50"];
        }

        if (DelayMs is < 0 or > MaxDelayMs)
        {
            errors["delayMs"] = ["must be from 0 to 10,000"];
        }

        if (ThreadId is not null && (string.IsNullOrWhiteSpace(ThreadId) || ThreadId.Length > 100))
        {
            errors["threadId"] = ["must be 1 to 100 characters"];
        }

        return errors.Count == 0 ? null : errors;
    }
}
