using System.Diagnostics;
using System.Globalization;

namespace AgentBridge.StackExchangeRedis.Tests.Infrastructure;

/// <summary>A Redis Cluster of three masters on loopback ports, made with <c>redis-cli --cluster create</c>.</summary>
public sealed class RedisCluster : IAsyncDisposable
{
    private RedisCluster(RedisServer[] masters)
    {
        Masters = masters;
    }

    public IReadOnlyList<RedisServer> Masters { get; }

    public string Configuration => string.Join(',', Masters.Select(m => m.Configuration));

    public static async Task<RedisCluster> StartAsync()
    {
        var cli = RedisRequirement.CliPath;
        var masters = new List<RedisServer>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                masters.Add(await RedisServer.StartAsync(cluster: true));
            }

            var create = new ProcessStartInfo(cli) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            create.ArgumentList.Add("--cluster");
            create.ArgumentList.Add("create");
            foreach (var master in masters)
            {
                create.ArgumentList.Add(master.Configuration);
            }

            create.ArgumentList.Add("--cluster-replicas");
            create.ArgumentList.Add("0");
            create.ArgumentList.Add("--cluster-yes");
            using (var process = Process.Start(create)!)
            {
                var output = process.StandardOutput.ReadToEndAsync();
                var errors = process.StandardError.ReadToEndAsync();
                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
                if (process.ExitCode != 0)
                {
                    throw new InvalidOperationException($"redis-cli --cluster create failed ({process.ExitCode}): {await output} {await errors}");
                }
            }

            // Every node must know every slot's owner before a client is pointed at it.
            var deadline = Stopwatch.StartNew();
            foreach (var master in masters)
            {
                while (!(await master.CommandAsync("CLUSTER", "INFO")).Contains("cluster_state:ok", StringComparison.Ordinal))
                {
                    if (deadline.Elapsed > TimeSpan.FromSeconds(30))
                    {
                        throw new TimeoutException($"The cluster node on port {master.Port.ToString(CultureInfo.InvariantCulture)} did not reach cluster_state:ok.");
                    }

                    await Task.Delay(100);
                }
            }

            return new RedisCluster([.. masters]);
        }
        catch
        {
            foreach (var master in masters)
            {
                await master.DisposeAsync();
            }

            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var master in Masters)
        {
            await master.DisposeAsync();
        }
    }
}
