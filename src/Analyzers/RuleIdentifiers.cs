namespace AgentBridge.Analyzers;

/// <summary>The id of every AgentBridge rule, in one place.</summary>
internal static class RuleIdentifiers
{
    public const string DirectManagerSend = "AGB0001";
    public const string SingletonBridge = "AGB0002";
    public const string MissingUserContext = "AGB0003";
    public const string DirectBridgeConstruction = "AGB0004";
    public const string DualDispatch = "AGB0005";
    public const string UnfinishedRun = "AGB0006";
    public const string UserIdFromRequest = "AGB0007";
    public const string TypesFileEntry = "AGB0008";

    /// <summary>Where the rule pages live; every help link is this plus <c>AGBxxxx.md</c>.</summary>
    public const string HelpLinkBase = "https://github.com/agentbridge/agentbridge/blob/main/docs/rules/";

    public static string GetHelpUri(string id) => HelpLinkBase + id + ".md";
}
