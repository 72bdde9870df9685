namespace AgentBridge.Analyzers.Tests.Verifiers;

/// <summary>The rule a test verifies: <see cref="AgentBridgeAnalyzer"/> runs with every other rule's diagnostics disabled.</summary>
internal interface IRule
{
    static abstract string Id { get; }
}

/// <summary>One marker per rule, for <see cref="AgentBridgeVerifier{TRule, TCodeFix}"/>.</summary>
internal static class Rule
{
    /// <summary>All the rules at once: nothing is disabled.</summary>
    internal sealed class Every : IRule
    {
        public static string Id => "AGB*";
    }

    internal sealed class AGB0001 : IRule
    {
        public static string Id => "AGB0001";
    }

    internal sealed class AGB0002 : IRule
    {
        public static string Id => "AGB0002";
    }

    internal sealed class AGB0003 : IRule
    {
        public static string Id => "AGB0003";
    }

    internal sealed class AGB0004 : IRule
    {
        public static string Id => "AGB0004";
    }

    internal sealed class AGB0005 : IRule
    {
        public static string Id => "AGB0005";
    }

    internal sealed class AGB0006 : IRule
    {
        public static string Id => "AGB0006";
    }

    internal sealed class AGB0007 : IRule
    {
        public static string Id => "AGB0007";
    }

    internal sealed class AGB0008 : IRule
    {
        public static string Id => "AGB0008";
    }
}
