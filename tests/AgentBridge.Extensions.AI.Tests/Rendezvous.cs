namespace AgentBridge.Extensions.AI.Tests;

/// <summary>Holds each arrival until <c>parties</c> have arrived: proof that calls really ran at the same time.</summary>
public sealed class Rendezvous(int parties)
{
    private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _arrived;

    public async Task ArriveAndWaitAsync()
    {
        if (Interlocked.Increment(ref _arrived) == parties)
        {
            _all.TrySetResult();
        }

        await _all.Task.WaitAsync(TimeSpan.FromSeconds(15));
    }
}
