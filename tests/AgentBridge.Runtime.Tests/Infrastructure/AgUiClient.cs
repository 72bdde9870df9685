using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace AgentBridge.Runtime.Tests.Infrastructure;

/// <summary>A real HTTP client of an AG-UI endpoint: posts a RunAgentInput and reads the server-sent events.</summary>
public sealed class AgUiClient : IDisposable
{
    private readonly HttpClient _http;

    public AgUiClient(Uri baseAddress, CookieContainer? cookies, string? origin = null)
    {
        var handler = new HttpClientHandler { CookieContainer = cookies ?? new CookieContainer(), UseCookies = true };
        _http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = EventClient.DefaultTimeout };
        if (origin is not null)
        {
            // As a browser page sends it on a POST.
            _http.DefaultRequestHeaders.Add("Origin", origin);
        }
    }

    /// <summary>A RunAgentInput with one user message, as @ag-ui/client sends it.</summary>
    public static object Input(string threadId, string runId, string text, object? forwardedProps = null) => new
    {
        threadId,
        runId,
        state = new { },
        messages = new object[] { new { id = "m-" + runId, role = "user", content = text } },
        tools = Array.Empty<object>(),
        context = Array.Empty<object>(),
        forwardedProps = forwardedProps ?? new { },
    };

    /// <summary>Posts <paramref name="body"/> and reads every event until the server ends the stream.</summary>
    public async Task<AgUiResponse> RunAsync(string path, object body)
    {
        using var response = await SendAsync(path, JsonContent(body));
        var text = await response.Content.ReadAsStringAsync();
        return new AgUiResponse(response.StatusCode, response.Content.Headers.ContentType?.MediaType, text, ParseEvents(text));
    }

    /// <summary>Posts raw content, for malformed requests.</summary>
    public async Task<AgUiResponse> PostRawAsync(string path, HttpContent content)
    {
        using var response = await SendAsync(path, content);
        var text = await response.Content.ReadAsStringAsync();
        return new AgUiResponse(response.StatusCode, response.Content.Headers.ContentType?.MediaType, text, []);
    }

    /// <summary>Posts and returns as soon as the headers arrived, to read the events one by one.</summary>
    public async Task<AgUiEventReader> OpenAsync(string path, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = JsonContent(body) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        return new AgUiEventReader(response, await response.Content.ReadAsStreamAsync());
    }

    public void Dispose() => _http.Dispose();

    public static StringContent JsonContent(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    public static List<JsonElement> ParseEvents(string text)
    {
        var events = new List<JsonElement>();
        foreach (var block in text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var data = string.Join("\n", block.Split('\n').Where(l => l.StartsWith("data:", StringComparison.Ordinal)).Select(l => l[5..].TrimStart(' ')));
            if (data.Length > 0)
            {
                using var document = JsonDocument.Parse(data);
                events.Add(document.RootElement.Clone());
            }
        }

        return events;
    }

    private async Task<HttpResponseMessage> SendAsync(string path, HttpContent content)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = content };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        return await _http.SendAsync(request);
    }
}

/// <summary>A whole AG-UI response.</summary>
public sealed record AgUiResponse(HttpStatusCode Status, string? MediaType, string Body, List<JsonElement> Events)
{
    public IEnumerable<string> Types => Events.Select(e => e.Type());

    public IEnumerable<JsonElement> OfType(string type) => Events.Where(e => e.Type() == type);
}

/// <summary>An AG-UI response read event by event.</summary>
public sealed class AgUiEventReader(HttpResponseMessage response, Stream body) : IDisposable
{
    private readonly StreamReader _reader = new(body, Encoding.UTF8);

    public HttpResponseMessage Response { get; } = response;

    public async Task<JsonElement?> NextAsync()
    {
        var data = new StringBuilder();
        while (await _reader.ReadLineAsync().WaitAsync(EventClient.DefaultTimeout) is { } line)
        {
            if (line.Length == 0 && data.Length > 0)
            {
                using var document = JsonDocument.Parse(data.ToString());
                return document.RootElement.Clone();
            }

            if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                data.Append(line.AsSpan(5).TrimStart(' '));
            }
        }

        return null;
    }

    public void Dispose()
    {
        _reader.Dispose();
        Response.Dispose();
    }
}
