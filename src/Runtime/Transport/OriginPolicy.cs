using Microsoft.AspNetCore.Http;

namespace AgentBridge.Transport;

/// <summary>
/// Which origins may use AgentBridge's endpoints (the event socket and AG-UI), one rule for both: any, with
/// <see cref="AgentBridgeOptions.AllowAnyOrigin"/>; the listed ones, with <see cref="AgentBridgeOptions.AllowedOrigins"/>;
/// otherwise the page's own origin and clients that send no <c>Origin</c> (not browsers).
/// </summary>
internal static class OriginPolicy
{
    public static bool IsAllowed(AgentBridgeOptions options, HttpRequest request)
    {
        if (options.AllowAnyOrigin)
        {
            return true;
        }

        var origins = request.Headers.Origin;
        if (origins.Count == 0)
        {
            // Not a browser: browsers send Origin on every WebSocket upgrade and every POST.
            return options.AllowedOrigins.Count == 0;
        }

        var origin = origins.ToString();
        if (options.AllowedOrigins.Count > 0)
        {
            return options.AllowedOrigins.Any(o => string.Equals(o.TrimEnd('/'), origin, StringComparison.OrdinalIgnoreCase));
        }

        return IsSameOrigin(origin, request.Host);
    }

    /// <summary>
    /// Whether <paramref name="origin"/> names the host and port the request was sent to. The scheme is not
    /// compared, so that a TLS-terminating proxy in front of the app does not make the page's own origin foreign;
    /// a host header without a port means the default port of the origin's scheme.
    /// </summary>
    public static bool IsSameOrigin(string origin, HostString host)
    {
        if (!host.HasValue
            || !Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            || uri.Scheme is not ("http" or "https")
            || uri.AbsolutePath != "/"
            || !string.IsNullOrEmpty(uri.UserInfo))
        {
            return false;
        }

        var requestPort = host.Port ?? uri.Port;
        return string.Equals(uri.IdnHost.Trim('[', ']'), host.Host.Trim('[', ']'), StringComparison.OrdinalIgnoreCase)
            && uri.Port == requestPort;
    }
}
