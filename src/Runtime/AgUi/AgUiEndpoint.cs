using System.Buffers;
using System.Threading.Channels;
using AgentBridge.Transport;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AgentBridge.AgUi;

/// <summary>
/// Serves the AG-UI HTTP binding for the signed-in user: checks the principal (401 before anything else), reads and
/// checks the <c>RunAgentInput</c> (a 4xx problem response, nothing started), then runs the app's handler with a bridge
/// made for the user and streams what that bridge emits as AG-UI events.
/// </summary>
internal sealed class AgUiEndpoint
{
    /// <summary>The largest request body accepted, so that one request cannot make the server buffer without bound.</summary>
    public const int MaxInputBytes = 4 * 1024 * 1024;

    private readonly WebSocketConnectionManager _manager;
    private readonly IAgentBridgeUserIdProvider _userIds;
    private readonly IHostApplicationLifetime? _lifetime;
    private readonly AgUiEventWriter _events;
    private readonly ILogger _logger;
    private readonly AgUiRunHandler _handler;

    public AgUiEndpoint(
        WebSocketConnectionManager manager,
        IAgentBridgeUserIdProvider userIds,
        IHostApplicationLifetime? lifetime,
        TimeProvider time,
        ILogger logger,
        AgUiRunHandler handler)
    {
        _manager = manager;
        _userIds = userIds;
        _lifetime = lifetime;
        _events = new AgUiEventWriter(time);
        _logger = logger;
        _handler = handler;
    }

    public async Task HandleAsync(HttpContext http)
    {
        if (http.User.Identity?.IsAuthenticated != true)
        {
            await RefuseAsync(http, StatusCodes.Status401Unauthorized, "Authentication required.").ConfigureAwait(false);
            return;
        }

        var userId = _userIds.GetUserId(http.User);
        if (string.IsNullOrWhiteSpace(userId))
        {
            await RefuseAsync(http, StatusCodes.Status403Forbidden, "The authenticated principal has no user id.").ConfigureAwait(false);
            return;
        }

        if (!OriginPolicy.IsAllowed(_manager.Options, http.Request))
        {
            await RefuseAsync(http, StatusCodes.Status403Forbidden, "Origin not allowed.").ConfigureAwait(false);
            return;
        }

        // A JSON body cannot come from a plain cross-site form: browsers preflight it, which keeps cookie-authenticated
        // runs from being started by another site.
        if (!http.Request.HasJsonContentType())
        {
            await RefuseAsync(http, StatusCodes.Status415UnsupportedMediaType, "The body must be application/json (RunAgentInput).").ConfigureAwait(false);
            return;
        }

        var body = await ReadBodyAsync(http.Request, http.RequestAborted).ConfigureAwait(false);
        if (body is null)
        {
            await RefuseAsync(http, StatusCodes.Status413PayloadTooLarge, $"The body is larger than {MaxInputBytes} bytes.").ConfigureAwait(false);
            return;
        }

        var input = RunAgentInputReader.Read(body.Value, out var errors);
        if (input is null)
        {
            AgUiLog.Refused(_logger, StatusCodes.Status400BadRequest, "invalid RunAgentInput");
            await Results.ValidationProblem(errors, title: "The body is not a valid AG-UI RunAgentInput.").ExecuteAsync(http).ConfigureAwait(false);
            return;
        }

        await RunAsync(http, UserExecutionContext.Create(userId, input.ThreadId, input.RunId), input).ConfigureAwait(false);
    }

    private async Task RunAsync(HttpContext http, UserExecutionContext context, RunAgentInput input)
    {
        var frames = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });
        var translator = new AgUiRunTranslator(context, _events, _manager.Options.JsonSerializerOptions, frames.Writer);
        var bridge = new AgentWebSocketBridge(_manager, context, translator.Observe);

        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseBodyFeature>()?.DisableBuffering();

        using var run = _lifetime is null
            ? CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted)
            : CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, _lifetime.ApplicationStopping);
        translator.Start(input.ParentRunId);
        var streaming = StreamAsync(http, frames.Reader, run, context.RunId);

        Exception? failure = null;
        var cancelled = false;
        try
        {
            await _handler(new AgUiRunContext(input, bridge, http), run.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (run.IsCancellationRequested)
        {
            cancelled = true;
        }
        catch (Exception ex)
        {
            failure = ex;
            AgUiLog.RunFailed(_logger, context.RunId, ex);
        }

        translator.Finish(failure, cancelled, _manager.Options.IncludeExceptionDetails);
        await streaming.ConfigureAwait(false);
    }

    /// <summary>
    /// Writes the events as they come and ends the response after the last one, even while the handler still runs.
    /// A client that goes away cancels the run.
    /// </summary>
    private async Task StreamAsync(HttpContext http, ChannelReader<byte[]> frames, CancellationTokenSource run, string runId)
    {
        var body = http.Response.Body;
        try
        {
            while (await frames.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
            {
                while (frames.TryRead(out var frame))
                {
                    await body.WriteAsync(frame, http.RequestAborted).ConfigureAwait(false);
                }

                await body.FlushAsync(http.RequestAborted).ConfigureAwait(false);
            }

            await http.Response.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            AgUiLog.ClientGone(_logger, runId);
            try
            {
                await run.CancelAsync().ConfigureAwait(false);
            }
            catch (ObjectDisposedException)
            {
                // The run is already over.
            }
        }
    }

    /// <summary>The whole body, or <see langword="null"/> when it is larger than <see cref="MaxInputBytes"/>.</summary>
    private static async Task<ReadOnlyMemory<byte>?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxInputBytes)
        {
            return null;
        }

        var buffer = new ArrayBufferWriter<byte>(4096);
        while (true)
        {
            var read = await request.Body.ReadAsync(buffer.GetMemory(8192), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return buffer.WrittenMemory;
            }

            buffer.Advance(read);
            if (buffer.WrittenCount > MaxInputBytes)
            {
                return null;
            }
        }
    }

    private async Task RefuseAsync(HttpContext http, int statusCode, string detail)
    {
        AgUiLog.Refused(_logger, statusCode, detail);
        await Results.Problem(detail: detail, statusCode: statusCode).ExecuteAsync(http).ConfigureAwait(false);
    }
}
