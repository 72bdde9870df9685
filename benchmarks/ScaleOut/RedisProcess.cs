using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace AgentBridge.Benchmarks.ScaleOut;

/// <summary>A redis-server child process of the harness, on a free loopback port and a directory of its own.</summary>
internal sealed class RedisProcess : IAsyncDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("agentbridge-bench-redis-").FullName;
    private readonly string[] _arguments;
    private Process? _process;

    private RedisProcess(int port, string[] arguments)
    {
        Port = port;
        _arguments = arguments;
    }

    public int Port { get; }

    public string Configuration => "127.0.0.1:" + Port.ToString(CultureInfo.InvariantCulture);

    /// <summary>Starts a server; <paramref name="durable"/> makes it write every change to its append-only file before answering.</summary>
    public static async Task<RedisProcess> StartAsync(bool durable = false, bool clusterNode = false)
    {
        var port = FreePort(clusterNode);
        string[] arguments = ["--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", string.Empty, "--logfile", "redis.log"];
        arguments = durable ? [.. arguments, "--appendonly", "yes", "--appendfsync", "always"] : [.. arguments, "--appendonly", "no"];
        if (clusterNode)
        {
            arguments = [.. arguments, "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf"];
        }

        var redis = new RedisProcess(port, arguments);
        await redis.StartAgainAsync();
        return redis;
    }

    /// <summary>Three masters made one cluster by <c>redis-cli --cluster create</c>.</summary>
    public static async Task<RedisProcess[]> StartClusterAsync()
    {
        var masters = new List<RedisProcess>();
        for (var i = 0; i < 3; i++)
        {
            masters.Add(await StartAsync(clusterNode: true));
        }

        var create = new ProcessStartInfo("redis-cli") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        create.ArgumentList.Add("--cluster");
        create.ArgumentList.Add("create");
        foreach (var master in masters)
        {
            create.ArgumentList.Add(master.Configuration);
        }

        create.ArgumentList.Add("--cluster-replicas");
        create.ArgumentList.Add("0");
        create.ArgumentList.Add("--cluster-yes");

        using (var process = Process.Start(create) ?? throw new InvalidOperationException("redis-cli did not start"))
        {
            var output = process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException("redis-cli --cluster create failed: " + await output);
            }
        }

        foreach (var master in masters)
        {
            while (!(await master.ExecuteAsync("CLUSTER", "INFO")).Contains("cluster_state:ok", StringComparison.Ordinal))
            {
                await Task.Delay(100);
            }
        }

        return [.. masters];
    }

    /// <summary>Kills the server without warning (its append-only file, if any, keeps what it acknowledged).</summary>
    public async Task KillAsync()
    {
        var process = _process ?? throw new InvalidOperationException("not running");
        process.Kill();
        await process.WaitForExitAsync();
        process.Dispose();
        _process = null;
    }

    public async Task StartAgainAsync()
    {
        var start = new ProcessStartInfo("redis-server") { UseShellExecute = false, WorkingDirectory = _directory, RedirectStandardOutput = true };
        foreach (var arg in _arguments.Concat(["--dir", _directory]))
        {
            start.ArgumentList.Add(arg);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start (is it installed? apt-get install redis-server)");
        _ = _process.StandardOutput.ReadToEndAsync();
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if ((await ExecuteAsync("PING")) == "PONG")
                {
                    return;
                }
            }
            catch (RedisException)
            {
            }

            if (_process.HasExited || clock.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new InvalidOperationException($"redis-server on port {Port} did not start: " + await File.ReadAllTextAsync(Path.Combine(_directory, "redis.log")));
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Runs one command on a short-lived admin connection.</summary>
    public async Task<string> ExecuteAsync(string command, params object[] args)
    {
        var options = new ConfigurationOptions { EndPoints = { Configuration }, AllowAdmin = true, AbortOnConnectFail = true, ConnectTimeout = 2000 };
        await using var connection = await ConnectionMultiplexer.ConnectAsync(options);
        return (await connection.GetServer(Configuration).ExecuteAsync(command, args)).ToString();
    }

    /// <summary>A numeric field of <c>INFO</c> (e.g. <c>used_cpu_user</c>) or <c>CLUSTER INFO</c>.</summary>
    public async Task<double> InfoFieldAsync(string field, bool cluster = false)
    {
        var text = cluster ? await ExecuteAsync("CLUSTER", "INFO") : await ExecuteAsync("INFO", "ALL");
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line[(field.Length + 1)..].Trim(), CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await KillAsync();
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>
    /// A free loopback port below the kernel's ephemeral range (32768 and up on Linux): the fault scenario restarts
    /// Redis on its port, and while it is down an ephemeral port may be given to any outgoing connection.
    /// </summary>
    private static int FreePort(bool clusterNode)
    {
        while (true)
        {
            var port = clusterNode ? Random.Shared.Next(10000, 13000) : Random.Shared.Next(23000, 32000);
            using var listener = new TcpListener(IPAddress.Loopback, port);
            try
            {
                listener.Start();
                if (clusterNode)
                {
                    using var bus = new TcpListener(IPAddress.Loopback, port + 10000);
                    bus.Start();
                }

                return port;
            }
            catch (SocketException)
            {
            }
        }
    }
}
