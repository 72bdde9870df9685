namespace AgentBridge.StackExchangeRedis.Tests.Infrastructure;

/// <summary>
/// One redis-server shared by the tests of a class, started by the first test that asks (so that a missing
/// redis-server is reported by each test as its skip reason, not as a fixture failure). Tests isolate themselves
/// with a key prefix of their own.
/// </summary>
public sealed class RedisFixture : IAsyncDisposable
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private RedisServer? _server;

    public async Task<RedisServer> ServerAsync()
    {
        await _lock.WaitAsync();
        try
        {
            return _server ??= await RedisServer.StartAsync();
        }
        finally
        {
            _lock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _lock.Dispose();
    }
}
