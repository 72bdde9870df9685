namespace AgentBridge;

/// <summary>
/// The store of the users' event streams could not be reached in time (with the Redis scale-out: Redis is down,
/// unreachable, or did not answer within its operation timeout). Thrown by every emit and by the
/// <see cref="WebSocketConnectionManager"/> send members instead of dropping the event silently or waiting
/// without end.
/// </summary>
/// <remarks>
/// The event was not emitted, unless the request reached the store and only its answer was lost: then it may have
/// been (a client that resumes gets it exactly once either way). Retry later, or end the run with the error. Open
/// connections stay open meanwhile, and delivery resumes by itself when the store is back.
/// </remarks>
public class AgentBridgeUnavailableException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public AgentBridgeUnavailableException()
        : this("The event stream store cannot be reached; the event was not emitted.")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed.</param>
    public AgentBridgeUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The store client's own exception.</param>
    public AgentBridgeUnavailableException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
