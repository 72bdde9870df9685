using Microsoft.AspNetCore.Http;

namespace AgentBridge.AgUi;

/// <summary>One AG-UI run request, as handed to the app's <see cref="AgUiRunHandler"/>.</summary>
public sealed class AgUiRunContext
{
    internal AgUiRunContext(RunAgentInput input, AgentWebSocketBridge bridge, HttpContext httpContext)
    {
        Input = input;
        Bridge = bridge;
        HttpContext = httpContext;
    }

    /// <summary>What the front end sent.</summary>
    public RunAgentInput Input { get; }

    /// <summary>
    /// The bridge of this run, made for the signed-in user with the input's thread and run ids. Everything emitted
    /// through it reaches the user's WebSocket connections, numbered in the user's stream, and this request's AG-UI
    /// event stream.
    /// </summary>
    public AgentWebSocketBridge Bridge { get; }

    /// <summary>The run's context: the signed-in user, the input's thread and run.</summary>
    public UserExecutionContext UserContext => Bridge.UserContext!;

    /// <summary>The HTTP request, for its services (<see cref="HttpContext.RequestServices"/>) and its user.</summary>
    public HttpContext HttpContext { get; }
}
