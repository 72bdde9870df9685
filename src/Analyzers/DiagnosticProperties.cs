namespace AgentBridge.Analyzers;

/// <summary>Keys of <see cref="Microsoft.CodeAnalysis.Diagnostic.Properties"/> the code fixes read.</summary>
internal static class DiagnosticProperties
{
    /// <summary>What was found: one of the <c>Kind*</c> values.</summary>
    public const string Kind = "Kind";

    /// <summary>The name of the member that was called.</summary>
    public const string MemberName = "MemberName";

    public const string KindConstruction = "Construction";
    public const string KindFactoryCreate = "FactoryCreate";
    public const string KindSetManager = "SetManager";
    public const string KindStaticMember = "StaticMember";
    public const string KindRegistration = "Registration";
    public const string KindKeyedRegistration = "KeyedRegistration";
}
