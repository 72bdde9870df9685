using System.Security.Claims;

namespace AgentBridge;

/// <summary>
/// Finds the user id of an authenticated principal when an event socket connects; replace it the way
/// SignalR's <c>IUserIdProvider</c> is replaced. The id is fixed for the connection's lifetime and never
/// comes from the query string or a client message.
/// </summary>
public interface IAgentBridgeUserIdProvider
{
    /// <summary>Gets the user id of an authenticated principal.</summary>
    /// <param name="user">The authenticated principal.</param>
    /// <returns>The user id, or <see langword="null"/> when the principal has none (the upgrade is refused with 403).</returns>
    string? GetUserId(ClaimsPrincipal user);
}

/// <summary>Takes the user id from <see cref="ClaimTypes.NameIdentifier"/>, then from <c>sub</c>.</summary>
public sealed class DefaultAgentBridgeUserIdProvider : IAgentBridgeUserIdProvider
{
    /// <inheritdoc />
    public string? GetUserId(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var id = user.FindFirst(ClaimTypes.NameIdentifier)?.Value;
        return string.IsNullOrWhiteSpace(id) ? user.FindFirst("sub")?.Value : id;
    }
}
