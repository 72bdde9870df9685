using System.Collections.Immutable;

namespace AgentBridge.Analyzers;

/// <summary>
/// What an analyzer tells its code fix through <see cref="Microsoft.CodeAnalysis.Diagnostic.Properties"/>: only what the
/// fix reads to decide, cheaply and from the site, whether it applies. Each set is one shared instance, so reporting
/// thousands of diagnostics allocates no dictionary.
/// </summary>
internal static class DiagnosticProperties
{
    /// <summary>AGB0001: whose <c>UserId</c> the user id of a <c>SendToUserAsync</c> is (absent: not a context's, no fix).</summary>
    public const string UserIdOf = "UserIdOf";

    /// <summary><c>context.UserId</c> of a <c>UserExecutionContext</c>: emit through the factory's bridge for that context.</summary>
    public const string UserIdOfContext = "Context";

    /// <summary><c>bridge.UserContext.UserId</c>: emit through that bridge.</summary>
    public const string UserIdOfBridge = "Bridge";

    /// <summary>AGB0002: a singleton registration of the AgentBridge bridge that <c>AddAgentBridge()</c> replaces.</summary>
    public const string ReplaceWithAddAgentBridge = "ReplaceWithAddAgentBridge";

    /// <summary>AGB0006: a discarded run, or a run held in a local, that <c>await using</c> disposes on every path.</summary>
    public const string AwaitUsing = "AwaitUsing";

    public const string True = "true";

    public static readonly ImmutableDictionary<string, string?> None = ImmutableDictionary<string, string?>.Empty;

    public static readonly ImmutableDictionary<string, string?> ContextUserId = None.Add(UserIdOf, UserIdOfContext);

    public static readonly ImmutableDictionary<string, string?> BridgeUserId = None.Add(UserIdOf, UserIdOfBridge);

    public static readonly ImmutableDictionary<string, string?> AddAgentBridge = None.Add(ReplaceWithAddAgentBridge, True);

    public static readonly ImmutableDictionary<string, string?> AwaitUsingRun = None.Add(AwaitUsing, True);
}
