using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AgentBridge.Analyzers.Rules;

/// <summary>
/// AGB0003: a bridge created, or a session wired, without a <c>UserExecutionContext</c> —
/// <c>new AgentWebSocketBridge(manager)</c>, a <c>null</c>/<c>default</c> context passed to that constructor
/// or to <c>IAgentWebSocketBridgeFactory.Create</c>, and <c>SetWebSocketManager(Async)</c> without a context.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class MissingUserContextAnalyzer : AgentBridgeAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.AGB0003_MissingUserContext);

    /// <inheritdoc />
    private protected override void RegisterActions(CompilationStartAnalysisContext start, AgentBridgeTypes types)
    {
        start.RegisterOperationAction(c => AnalyzeCreation(c, types), OperationKind.ObjectCreation);
        if (types.FactoryCreate is not null || !types.SetManagerMethods.IsEmpty)
        {
            RegisterInvocationsInTypesNaming(start, types, FileNames.Set(FileNames.SetWebSocketManager, FileNames.Create), c => AnalyzeInvocation(c, types));
        }
    }

    private static void AnalyzeCreation(OperationAnalysisContext context, AgentBridgeTypes types)
    {
        var creation = (IObjectCreationOperation)context.Operation;
        if (creation.Constructor is not { } constructor
            || !SymbolEqualityComparer.Default.Equals(constructor.ContainingType, types.Bridge))
        {
            return;
        }

        if (!LacksContext(creation.Arguments, types))
        {
            return;
        }

        Report(context, creation.Syntax, "This bridge is created");
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, AgentBridgeTypes types)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var method = invocation.TargetMethod;
        if (types.IsSetManager(method))
        {
            if (LacksContext(invocation.Arguments, types))
            {
                Report(context, invocation.Syntax, "This session is wired");
            }
        }
        else if (types.IsFactoryCreate(method))
        {
            if (LacksContext(invocation.Arguments, types))
            {
                Report(context, invocation.Syntax, "This bridge is created");
            }
        }
    }

    /// <summary>The context argument is missing (its default <c>null</c> used) or is the constant <c>null</c>.</summary>
    private static bool LacksContext(ImmutableArray<IArgumentOperation> arguments, AgentBridgeTypes types)
    {
        var argument = AgentBridgeTypes.FindArgument(arguments, types.UserContext);
        if (argument is null)
        {
            // A signature without a context parameter (a future overload): nothing to say.
            return false;
        }

        return argument.ArgumentKind == ArgumentKind.DefaultValue || AgentBridgeTypes.IsNullConstant(argument.Value);
    }

    private static void Report(OperationAnalysisContext context, SyntaxNode syntax, string what) =>
        context.ReportDiagnostic(Diagnostic.Create(Descriptors.AGB0003_MissingUserContext, syntax.GetLocation(), what));
}
