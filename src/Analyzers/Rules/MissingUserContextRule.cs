using System.Collections.Generic;
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
internal static class MissingUserContextRule
{
    private static readonly ulong Names = FileNames.Set(FileNames.SetWebSocketManager, FileNames.Create);

    /// <summary>The factory's <c>Create</c> and the session wiring, where the compilation has them.</summary>
    public static void AddTo(List<InvocationRule> rules, AgentBridgeTypes types)
    {
        if (types.FactoryCreate is not null || !types.SetManagerMethods.IsEmpty)
        {
            rules.Add(new InvocationRule(Names, context => AnalyzeInvocation(context, types)));
        }
    }

    /// <summary>A bridge constructed without a context (the constructor's arguments; <see cref="BridgeConstruction"/> calls it).</summary>
    public static bool Analyze(OperationAnalysisContext context, IObjectCreationOperation creation, AgentBridgeTypes types)
    {
        if (!LacksContext(creation.Arguments, types))
        {
            return false;
        }

        Report(context, creation.Syntax, "This bridge is created");
        return true;
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
