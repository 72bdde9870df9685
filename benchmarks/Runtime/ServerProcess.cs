using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace AgentBridge.Benchmarks.Runtime;

/// <summary>A contender's server, run as a child process of the harness (this same program with <c>--server</c>).</summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly HttpClient _http;

    private ServerProcess(string contender, Process process, Uri baseUri)
    {
        Contender = contender;
        _process = process;
        BaseUri = baseUri;
        _http = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = baseUri, Timeout = TimeSpan.FromMinutes(5) };
    }

    public string Contender { get; }

    public Uri BaseUri { get; }

    public int ProcessId => _process.Id;

    /// <param name="contender">Which contender the process serves.</param>
    /// <param name="options">More options for the server process (after <c>--server contender</c>).</param>
    public static async Task<ServerProcess> StartAsync(string contender, params string[] options)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("no process path");
        var start = new ProcessStartInfo(self)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(typeof(ServerProcess).Assembly.Location);
        }

        start.ArgumentList.Add("--server");
        start.ArgumentList.Add(contender);
        foreach (var option in options)
        {
            start.ArgumentList.Add(option);
        }

        // What an ASP.NET Core app gets by default (the Web SDK turns Server GC on); the harness itself uses workstation GC.
        start.Environment["DOTNET_gcServer"] = "1";
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the server process");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token)
                ?? throw new InvalidOperationException($"the {contender} server exited before listening");
            if (line.StartsWith("LISTENING ", StringComparison.Ordinal))
            {
                _ = Task.Run(() => process.StandardOutput.ReadToEndAsync());
                return new ServerProcess(contender, process, new Uri(line["LISTENING ".Length..]));
            }
        }
    }

    public async Task<CookieContainer> SignInAsync(string userId)
    {
        using var response = await _http.GetAsync(new Uri("/login?user=" + Uri.EscapeDataString(userId), UriKind.Relative));
        response.EnsureSuccessStatusCode();
        var cookies = new CookieContainer();
        foreach (var header in response.Headers.GetValues("Set-Cookie"))
        {
            cookies.SetCookies(BaseUri, header);
        }

        return cookies;
    }

    public async Task<int> ConnectionCountAsync(int users) =>
        int.Parse(await _http.GetStringAsync(new Uri("/ctl/connections?users=" + users.ToString(CultureInfo.InvariantCulture), UriKind.Relative)), CultureInfo.InvariantCulture);

    public async Task<ServerStats> StatsAsync()
    {
        var parts = (await _http.GetStringAsync(new Uri("/ctl/stats", UriKind.Relative))).Split(' ').Select(p => long.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        return new ServerStats(parts[0], parts[1], (int)parts[2], (int)parts[3], (int)parts[4]);
    }

    public async Task<ServerMemory> MemoryAsync()
    {
        var parts = (await _http.GetStringAsync(new Uri("/ctl/mem", UriKind.Relative))).Split(' ').Select(p => long.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        return new ServerMemory(parts[0], parts[1], parts[2]);
    }

    /// <summary>Sends a POST to a control endpoint and returns the body.</summary>
    public async Task<string> PostAsync(string pathAndQuery)
    {
        using var response = await _http.PostAsync(new Uri(pathAndQuery, UriKind.Relative), content: null);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    public async Task RunAsync(int users, int events, int window, long start, int textLength)
    {
        var query = FormattableString.Invariant($"/ctl/run?users={users}&events={events}&window={window}&start={start}&text={textLength}");
        using var response = await _http.PostAsync(new Uri(query, UriKind.Relative), content: null);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Ends the server at once (the idle-memory servers need no graceful shutdown).</summary>
    public async Task KillAsync()
    {
        _http.Dispose();
        try
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
        {
            // Already gone.
        }

        _process.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        try
        {
            _process.StandardInput.Close();
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }
}

internal sealed record ServerStats(long AllocatedBytes, long CpuTicks, int Gen0, int Gen1, int Gen2);

internal sealed record ServerMemory(long GcHeapBytes, long WorkingSetBytes, long PrivateBytes);
