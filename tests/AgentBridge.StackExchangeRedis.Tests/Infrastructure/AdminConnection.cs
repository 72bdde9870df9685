using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AgentBridge.StackExchangeRedis.Tests.Infrastructure;

/// <summary>A bare RESP connection to a test's redis-server, for the commands a test uses to break it.</summary>
public sealed class AdminConnection : IAsyncDisposable
{
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly StreamReader _reader;

    private AdminConnection(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
        _reader = new StreamReader(_stream, Encoding.UTF8);
    }

    public static async Task<AdminConnection> OpenAsync(int port)
    {
        var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port);
            return new AdminConnection(client);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>Sends one command and returns its reply as text: a status or error line, a number, or a bulk string.</summary>
    public async Task<string> CommandAsync(params string[] args)
    {
        var request = new StringBuilder().Append('*').Append(args.Length).Append("\r\n");
        foreach (var arg in args)
        {
            request.Append('$').Append(Encoding.UTF8.GetByteCount(arg)).Append("\r\n").Append(arg).Append("\r\n");
        }

        await _stream.WriteAsync(Encoding.UTF8.GetBytes(request.ToString()));
        var line = await _reader.ReadLineAsync() ?? string.Empty;
        if (line.StartsWith('$') && int.TryParse(line.AsSpan(1), CultureInfo.InvariantCulture, out var length) && length >= 0)
        {
            var body = new char[length];
            var read = 0;
            while (read < length)
            {
                read += await _reader.ReadAsync(body.AsMemory(read));
            }

            await _reader.ReadLineAsync();
            return new string(body);
        }

        return line;
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _client.Dispose();
        return ValueTask.CompletedTask;
    }
}
