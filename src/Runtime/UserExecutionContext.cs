namespace AgentBridge;

/// <summary>
/// Says who a piece of agent work is for: the user, the conversation thread, the run and the request.
/// Every event a bridge emits is addressed to <see cref="UserId"/> and nobody else.
/// </summary>
/// <remarks>Instances are immutable and compare by value.</remarks>
public sealed class UserExecutionContext : IEquatable<UserExecutionContext>
{
    private UserExecutionContext(string userId, string threadId, string runId, string requestId)
    {
        UserId = userId;
        ThreadId = threadId;
        RunId = runId;
        RequestId = requestId;
    }

    /// <summary>The id of the authenticated user the work is for. Never sent to the browser.</summary>
    public string UserId { get; }

    /// <summary>The conversation thread the work belongs to.</summary>
    public string ThreadId { get; }

    /// <summary>The agent run; generated when not supplied.</summary>
    public string RunId { get; }

    /// <summary>The request that started the work; generated when not supplied.</summary>
    public string RequestId { get; }

    /// <summary>Creates a context for one user's piece of agent work.</summary>
    /// <param name="userId">The authenticated user's id.</param>
    /// <param name="threadId">The conversation thread.</param>
    /// <param name="runId">The run id, or <see langword="null"/> to generate one.</param>
    /// <param name="requestId">The request id, or <see langword="null"/> to generate one.</param>
    /// <returns>A new context.</returns>
    /// <exception cref="ArgumentException">An id is null, empty or whitespace (a run or request id only when supplied).</exception>
    public static UserExecutionContext Create(string userId, string threadId, string? runId = null, string? requestId = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        ArgumentException.ThrowIfNullOrWhiteSpace(threadId);
        if (runId is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        }

        if (requestId is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(requestId);
        }

        return new UserExecutionContext(userId, threadId, runId ?? NewId("run"), requestId ?? NewId("req"));
    }

    /// <summary>Returns a copy of this context for a new run of the same user and thread.</summary>
    /// <param name="runId">The run id, or <see langword="null"/> to generate one.</param>
    /// <returns>A new context with the same user, thread and request.</returns>
    public UserExecutionContext WithRunId(string? runId = null) => Create(UserId, ThreadId, runId, RequestId);

    /// <inheritdoc />
    public bool Equals(UserExecutionContext? other) =>
        other is not null
        && string.Equals(UserId, other.UserId, StringComparison.Ordinal)
        && string.Equals(ThreadId, other.ThreadId, StringComparison.Ordinal)
        && string.Equals(RunId, other.RunId, StringComparison.Ordinal)
        && string.Equals(RequestId, other.RequestId, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as UserExecutionContext);

    /// <inheritdoc />
    public override int GetHashCode() =>
        HashCode.Combine(
            StringComparer.Ordinal.GetHashCode(UserId),
            StringComparer.Ordinal.GetHashCode(ThreadId),
            StringComparer.Ordinal.GetHashCode(RunId),
            StringComparer.Ordinal.GetHashCode(RequestId));

    /// <summary>Compares two contexts by value.</summary>
    /// <param name="left">The first context.</param>
    /// <param name="right">The second context.</param>
    /// <returns><see langword="true"/> when both are null or equal.</returns>
    public static bool operator ==(UserExecutionContext? left, UserExecutionContext? right) =>
        left is null ? right is null : left.Equals(right);

    /// <summary>Compares two contexts by value.</summary>
    /// <param name="left">The first context.</param>
    /// <param name="right">The second context.</param>
    /// <returns><see langword="true"/> when they differ.</returns>
    public static bool operator !=(UserExecutionContext? left, UserExecutionContext? right) => !(left == right);

    /// <summary>Describes the context without the user id, so that logs of it do not identify the user.</summary>
    /// <returns>The thread and run ids.</returns>
    public override string ToString() => $"thread {ThreadId}, run {RunId}";

    private static string NewId(string prefix) => prefix + "_" + Guid.NewGuid().ToString("N");
}
