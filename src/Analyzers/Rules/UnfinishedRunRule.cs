using System.Collections.Generic;
using System.Collections.Immutable;
using AgentBridge.Analyzers.Flow;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AgentBridge.Analyzers.Rules;

/// <summary>
/// AGB0006: a run that may never tell its user it ended — the <c>AgentRun</c> of <c>BeginRunAsync</c> not disposed on
/// every path (not in <c>await using</c>, not returned or stored), or an <c>EmitAgentStartedAsync</c> with a path out of
/// its method (exceptions included) that has no <c>EmitAgentCompletedAsync</c>. The first form is decided on the
/// operation tree, the second on the method's control-flow graph; both only where such a call is, so methods without
/// one cost nothing.
/// </summary>
internal static class UnfinishedRunRule
{
    private static readonly ulong Names = FileNames.Set(FileNames.BeginRunAsync, FileNames.EmitAgentStartedAsync);

    public static void AddTo(List<InvocationRule> rules, AgentBridgeTypes types)
    {
        if (!types.BeginRunMethods.IsEmpty || !types.AgentStartedMethods.IsEmpty)
        {
            rules.Add(new InvocationRule(Names, context => AnalyzeInvocation(context, types)));
        }
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, AgentBridgeTypes types)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var method = invocation.TargetMethod;
        if (!SymbolEqualityComparer.Default.Equals(method.ContainingType, types.Bridge))
        {
            return;
        }

        if (types.IsBeginRun(method))
        {
            AnalyzeRun(context, invocation, types);
        }
        else if (types.IsAgentStarted(method) && !StartedFlow.EndsOnEveryPath(context, invocation, types))
        {
            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.AGB0006_UnfinishedRun,
                invocation.Syntax.GetLocation(),
                "'EmitAgentStartedAsync' has a path out of the method (exceptions included) without 'EmitAgentCompletedAsync'"));
        }
    }

    private static void AnalyzeRun(OperationAnalysisContext context, IInvocationOperation invocation, AgentBridgeTypes types)
    {
        // The run is the value of 'await bridge.BeginRunAsync(...)' (through ConfigureAwait). A task that is not awaited
        // here is returned or stored: whoever awaits it owns the run.
        IOperation task = invocation;
        var parent = Skip(task.Parent);
        while (parent is IInvocationOperation { TargetMethod.Name: "ConfigureAwait", Instance: { } instance } configureAwait
            && AgentBridgeTypes.WithoutConversions(instance) == task)
        {
            task = configureAwait;
            parent = Skip(configureAwait.Parent);
        }

        if (parent is not IAwaitOperation run)
        {
            return;
        }

        var verdict = RunUse.Of(run);
        if (verdict.Kind == RunUseKind.Finished)
        {
            return;
        }

        var message = verdict.Kind == RunUseKind.DisposedNotOnEveryPath
            ? "The run of this 'BeginRunAsync' is disposed, but not on every path (an exception skips the dispose)"
            : "The run of this 'BeginRunAsync' is never disposed";
        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.AGB0006_UnfinishedRun,
            invocation.Syntax.GetLocation(),
            verdict.Fixable ? DiagnosticProperties.AwaitUsingRun : DiagnosticProperties.None,
            message));
    }

    /// <summary>The operation a value flows into, past the conversions around it.</summary>
    internal static IOperation? Skip(IOperation? operation)
    {
        while (operation is IConversionOperation)
        {
            operation = operation.Parent;
        }

        return operation;
    }

    internal static bool IsStatementContext(SyntaxNode? statementParent) =>
        statementParent is BlockSyntax or SwitchSectionSyntax or GlobalStatementSyntax;
}
