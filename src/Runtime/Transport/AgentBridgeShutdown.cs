using AgentBridge.Diagnostics;
using Microsoft.Extensions.Hosting;

namespace AgentBridge.Transport;

/// <summary>
/// Closes every event socket when the host stops: first lets the runs that the host just cancelled emit
/// their <c>agent_completed</c>, then flushes each queue and closes with 1001, all within
/// <see cref="AgentBridgeOptions.CloseTimeout"/>. It runs in <see cref="IHostedLifecycleService.StoppingAsync"/>, which the
/// host awaits before it stops any service, the web server included (which would otherwise wait for the
/// sockets until its own shutdown timeout and then abort them).
/// </summary>
internal sealed class AgentBridgeShutdown : IHostedLifecycleService
{
    private static readonly TimeSpan QuietPeriod = TimeSpan.FromMilliseconds(100);
    private readonly WebSocketConnectionManager _manager;
    private readonly IHostApplicationLifetime? _lifetime;
    private volatile bool _stopping;

    public AgentBridgeShutdown(WebSocketConnectionManager manager, IServiceProvider services)
    {
        _manager = manager;
        _lifetime = (IHostApplicationLifetime?)services.GetService(typeof(IHostApplicationLifetime));
    }

    public bool IsStopping => _stopping;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        _stopping = true;

        // The host signals ApplicationStopping around this call; signalling it first (it is idempotent) makes
        // sure the runs that observe it are cancelled, and have emitted their agent_completed, before the close.
        _lifetime?.StopApplication();
        var connections = _manager.LocalConnections.ToList();
        if (connections.Count == 0)
        {
            return;
        }

        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(_manager.Options.CloseTimeout);
        try
        {
            await WaitForQuietAsync(bounded.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Out of time: close now.
        }

        foreach (var connection in _manager.LocalConnections.ToList())
        {
            connection.RequestClose(AgentBridgeCloseCodes.GoingAway, "server shutting down", drain: true);
        }

        // Each connection aborts itself once CloseTimeout has passed, so this wait is bounded too.
        await Task.WhenAll(connections.Select(c => c.Completion)).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Waits until no event has been emitted for a short while: the cancelled runs have said their last word.</summary>
    private async Task WaitForQuietAsync(CancellationToken cancellationToken)
    {
        var last = _manager.Metrics.EmittedTotal;
        while (true)
        {
            await Task.Delay(QuietPeriod, cancellationToken).ConfigureAwait(false);
            var now = _manager.Metrics.EmittedTotal;
            if (now == last)
            {
                return;
            }

            last = now;
        }
    }
}
