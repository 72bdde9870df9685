using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace AgentBridge.ClientTestHost;

/// <summary>
/// Bearer tokens that name their user and carry a MAC over it, so that a restarted host still accepts the
/// tokens it issued before (the client's tests restart it). The key is fixed: this host exists for tests only.
/// </summary>
public sealed class TokenStore
{
    private static readonly byte[] Key = "AgentBridge client test host"u8.ToArray();

    /// <summary>Issues a token for a user.</summary>
    /// <param name="userId">The user.</param>
    /// <returns>The token.</returns>
    public string Issue(string userId)
    {
        ArgumentNullException.ThrowIfNull(userId);
        return Convert.ToHexString(Encoding.UTF8.GetBytes(userId)) + "." + Mac(userId);
    }

    /// <summary>Finds the user of a token.</summary>
    /// <param name="token">The token.</param>
    /// <param name="userId">Its user.</param>
    /// <returns>Whether the token was issued by this host.</returns>
    public bool TryGetUser(string token, out string userId)
    {
        ArgumentNullException.ThrowIfNull(token);
        userId = string.Empty;
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0)
        {
            return false;
        }

        try
        {
            var candidate = Encoding.UTF8.GetString(Convert.FromHexString(token.AsSpan(0, dot)));
            if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Mac(candidate)), Encoding.ASCII.GetBytes(token[(dot + 1)..])))
            {
                return false;
            }

            userId = candidate;
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static string Mac(string userId) => Convert.ToHexString(HMACSHA256.HashData(Key, Encoding.UTF8.GetBytes(userId)));
}

/// <summary>
/// Authenticates a request by a token this host issued: from <c>Authorization: Bearer</c>, from the
/// <c>access_token</c> query parameter of the event sockets (browsers cannot set headers on a WebSocket, so
/// a bearer token travels there, as SignalR's does), or from the cookie <c>/login</c> sets.
/// </summary>
public sealed class TokenAuthenticationHandler : AuthenticationHandler<AuthenticationSchemeOptions>
{
    /// <summary>The scheme's name.</summary>
    public const string SchemeName = "Token";

    /// <summary>The cookie that carries the token.</summary>
    public const string CookieName = "clienttest.token";

    private readonly TokenStore _tokens;

    /// <summary>Creates the handler.</summary>
    /// <param name="options">The scheme's options.</param>
    /// <param name="logger">Logs.</param>
    /// <param name="encoder">Encodes URLs.</param>
    /// <param name="tokens">The issued tokens.</param>
    public TokenAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, TokenStore tokens)
        : base(options, logger, encoder) => _tokens = tokens;

    /// <inheritdoc/>
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = BearerToken() ?? Request.Cookies[CookieName];
        if (token is null)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (!_tokens.TryGetUser(token, out var userId))
        {
            return Task.FromResult(AuthenticateResult.Fail("unknown token"));
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, userId)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    private string? BearerToken()
    {
        var header = Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return header["Bearer ".Length..].Trim();
        }

        return Request.Path.StartsWithSegments("/events", StringComparison.Ordinal) || Request.Path.StartsWithSegments("/events-authorized", StringComparison.Ordinal)
            ? Request.Query["access_token"].FirstOrDefault()
            : null;
    }
}
