using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AgentBridge.StackExchangeRedis.Tests.Infrastructure;

/// <summary>
/// A real redis-server for one test or fixture: a child process on a free loopback port, with its own temporary
/// directory, no persistence but what a test asks for (<c>SHUTDOWN SAVE</c>), stopped and deleted on dispose.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<Process, byte> Running = new();
    private static readonly ConcurrentDictionary<int, byte> Taken = new();
    private readonly string _directory;
    private readonly bool _cluster;
    private Process? _process;

    static RedisServer()
    {
        // A test run that ends early must not leave servers behind.
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var process in Running.Keys)
            {
                try
                {
                    process.Kill();
                }
                catch (InvalidOperationException)
                {
                }
            }
        };
    }

    private RedisServer(int port, bool cluster)
    {
        Port = port;
        _cluster = cluster;
        _directory = Directory.CreateTempSubdirectory("agentbridge-redis-").FullName;
    }

    public int Port { get; }

    /// <summary>The StackExchange.Redis configuration string of this server.</summary>
    public string Configuration => "127.0.0.1:" + Port.ToString(CultureInfo.InvariantCulture);

    public static async Task<RedisServer> StartAsync(bool cluster = false)
    {
        var path = RedisRequirement.ServerPath;
        for (var attempt = 1; ; attempt++)
        {
            var server = new RedisServer(FreePort(cluster), cluster);
            try
            {
                await server.StartProcessAsync(path);
                return server;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                // Another process took the port between the probe and the start: take another one.
                await server.DisposeAsync();
            }
        }
    }

    /// <summary>Sends one command on a connection of its own and returns its reply as text (an error reply as <c>-ERR …</c>).</summary>
    public async Task<string> CommandAsync(params string[] args)
    {
        await using var admin = await AdminConnection.OpenAsync(Port);
        return await admin.CommandAsync(args);
    }

    /// <summary>Cuts every pub/sub connection, as a network blip or an overflowing subscriber would.</summary>
    public async Task<int> KillPubSubClientsAsync() =>
        int.Parse((await CommandAsync("CLIENT", "KILL", "TYPE", "pubsub")).TrimStart(':'), CultureInfo.InvariantCulture);

    /// <summary>A connection that stays open, for commands that keep other clients out (<c>CONFIG SET maxclients</c>).</summary>
    public Task<AdminConnection> OpenAdminAsync() => AdminConnection.OpenAsync(Port);

    /// <summary>Shuts the server down after writing its data to disk: it comes back on restart.</summary>
    public async Task ShutdownAsync()
    {
        try
        {
            await CommandAsync("SHUTDOWN", "SAVE");
        }
        catch (IOException)
        {
            // The server closed the connection as it went down.
        }

        await WaitForExitAsync();
    }

    /// <summary>
    /// Kills the server. It restarts empty, or, with <paramref name="keepLastSave"/>, with the data of its last
    /// <c>SAVE</c> only (what a persistence file that missed the last writes gives back).
    /// </summary>
    public async Task KillAsync(bool keepLastSave = false)
    {
        (_process ?? throw new InvalidOperationException("The server is not running.")).Kill();
        await WaitForExitAsync();
        if (!keepLastSave)
        {
            File.Delete(Path.Combine(_directory, "dump.rdb"));
        }
    }

    private async Task WaitForExitAsync()
    {
        var process = _process ?? throw new InvalidOperationException("The server is not running.");
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
        Running.TryRemove(process, out _);
        process.Dispose();
        _process = null;
    }

    /// <summary>Starts the server again on the same port and directory (with whatever data it saved).</summary>
    public Task StartAgainAsync() => StartProcessAsync(RedisRequirement.ServerPath);

    public async ValueTask DisposeAsync()
    {
        if (_process is { } process)
        {
            try
            {
                process.Kill();
                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (InvalidOperationException)
            {
            }

            Running.TryRemove(process, out _);
            process.Dispose();
            _process = null;
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task StartProcessAsync(string path)
    {
        var start = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _directory,
        };
        foreach (var arg in Arguments())
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start");
        Running[process] = 0;
        _process = process;
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                var log = File.Exists(Path.Combine(_directory, "redis.log")) ? await File.ReadAllTextAsync(Path.Combine(_directory, "redis.log")) : string.Empty;
                throw new InvalidOperationException($"redis-server on port {Port} exited with {process.ExitCode}: {log}");
            }

            try
            {
                // PING answers -LOADING while a saved dataset is read back: wait for +PONG.
                if (await CommandAsync("PING") == "+PONG")
                {
                    return;
                }
            }
            catch (SocketException)
            {
            }

            if (deadline.Elapsed > TimeSpan.FromSeconds(20))
            {
                throw new TimeoutException($"redis-server on port {Port} did not answer PING within 20 seconds.");
            }

            await Task.Delay(20);
        }
    }

    private string[] Arguments()
    {
        string[] common =
        [
            "--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", _directory,
            "--save", string.Empty, "--appendonly", "no", "--dbfilename", "dump.rdb", "--logfile", "redis.log",
        ];
        return _cluster
            ? [.. common, "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "3000"]
            : common;
    }

    /// <summary>
    /// A free loopback port (and, for a cluster node, a free bus port 10,000 above it), below the kernel's ephemeral
    /// range (32768 and up on Linux): a server restarted on its port must find it free, and while it is down an
    /// ephemeral port may be given to any outgoing connection or port-0 listener of the test run. Ports handed out are
    /// not handed out again in this process.
    /// </summary>
    private static int FreePort(bool cluster)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var port = cluster ? Random.Shared.Next(10000, 13000) : Random.Shared.Next(23000, 32000);
            if (!Taken.TryAdd(port, 0))
            {
                continue;
            }

            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                if (cluster)
                {
                    using var bus = new TcpListener(IPAddress.Loopback, port + 10000);
                    bus.Start();
                }

                return port;
            }
            catch (SocketException)
            {
                Taken.TryRemove(port, out _);
            }
        }

        throw new InvalidOperationException("No free loopback port.");
    }
}
