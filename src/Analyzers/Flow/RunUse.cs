using AgentBridge.Analyzers.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AgentBridge.Analyzers.Flow;

internal enum RunUseKind
{
    /// <summary>Disposed on every path (<c>await using</c>, a <c>finally</c>), or handed on: returned, stored, passed.</summary>
    Finished,

    NeverDisposed,

    /// <summary>Disposed by a call an exception can skip (not in a <c>finally</c>).</summary>
    DisposedNotOnEveryPath,
}

/// <summary>
/// What becomes of the <c>AgentRun</c> of one <c>await bridge.BeginRunAsync(...)</c>, read from the operation tree of
/// its method: where the value goes, and for a local every reference to it.
/// </summary>
internal readonly struct RunUse
{
    private RunUse(RunUseKind kind, bool fixable)
    {
        Kind = kind;
        Fixable = fixable;
    }

    public RunUseKind Kind { get; }

    /// <summary>Whether <c>await using var run = await …</c> can replace the statement as it is.</summary>
    public bool Fixable { get; }

    private static RunUse Finished => new RunUse(RunUseKind.Finished, fixable: false);

    public static RunUse Of(IAwaitOperation run)
    {
        switch (UnfinishedRunRule.Skip(run.Parent))
        {
            case IExpressionStatementOperation statement:
                // 'await bridge.BeginRunAsync(...);': the run is dropped on the floor.
                return new RunUse(RunUseKind.NeverDisposed, UnfinishedRunRule.IsStatementContext(statement.Syntax.Parent));
            case ISimpleAssignmentOperation { Target: IDiscardOperation } discard:
                return UnfinishedRunRule.Skip(discard.Parent) is IExpressionStatementOperation discarded
                    ? new RunUse(RunUseKind.NeverDisposed, UnfinishedRunRule.IsStatementContext(discarded.Syntax.Parent))
                    : new RunUse(RunUseKind.NeverDisposed, fixable: false);
            case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }:
                var declaration = declarator.Parent as IVariableDeclarationOperation;
                if (declaration?.Parent?.Parent is IUsingDeclarationOperation or IUsingOperation)
                {
                    return Finished;
                }

                var declarationStatement = declarator.Syntax.Parent?.Parent as LocalDeclarationStatementSyntax;
                var fixable = declaration?.Declarators.Length == 1
                    && declarationStatement is { IsConst: false }
                    && declarationStatement.UsingKeyword.RawKind == 0
                    && UnfinishedRunRule.IsStatementContext(declarationStatement.Parent);
                return OfLocal(declarator.Symbol, run, fixable);
            case ISimpleAssignmentOperation { Target: ILocalReferenceOperation local }:
                return OfLocal(local.Local, run, fixable: false);
            case IInvocationOperation call when call.Instance is not null && AgentBridgeTypes.WithoutConversions(call.Instance) == run:
                // '(await bridge.BeginRunAsync(...)).Something()': used once, then dropped, unless that is its dispose.
                return call.TargetMethod.Name == "DisposeAsync" ? Finished : new RunUse(RunUseKind.NeverDisposed, fixable: false);
            case IPropertyReferenceOperation:
                return new RunUse(RunUseKind.NeverDisposed, fixable: false);
            default:
                // Returned, stored in a field, property or element, passed to a method, put in a tuple or a collection:
                // the run leaves this method's sight, and its new owner ends it.
                return Finished;
        }
    }

    private static RunUse OfLocal(ILocalSymbol local, IOperation site, bool fixable)
    {
        var function = EnclosingFunction(site);
        var root = site;
        while (root.Parent is not null)
        {
            root = root.Parent;
        }

        var disposed = false;
        foreach (var operation in root.Descendants())
        {
            if (operation is not ILocalReferenceOperation reference || !SymbolEqualityComparer.Default.Equals(reference.Local, local))
            {
                continue;
            }

            if (EnclosingFunction(reference) != function)
            {
                // Captured by a lambda or a local function, which may end it later: not ours to judge.
                return Finished;
            }

            var parent = UnfinishedRunRule.Skip(reference.Parent);
            switch (parent)
            {
                case ISimpleAssignmentOperation assignment when AgentBridgeTypes.WithoutConversions(assignment.Target) == reference:
                    // Reassigned: 'await using' would not compile; the value assigned is analyzed at its own site.
                    fixable = false;
                    break;
                case ISimpleAssignmentOperation:
                case IVariableInitializerOperation:
                case IReturnOperation:
                    return Finished;
                case IArgumentOperation:
                    return Finished;
                case IUsingOperation:
                    return Finished;
                case IInvocationOperation { TargetMethod.Name: "DisposeAsync" } dispose when dispose.Instance is not null && AgentBridgeTypes.WithoutConversions(dispose.Instance) == reference:
                    if (IsInFinally(dispose))
                    {
                        return Finished;
                    }

                    disposed = true;
                    break;
                case IConditionalAccessOperation { WhenNotNull: IInvocationOperation { TargetMethod.Name: "DisposeAsync" } } conditional when conditional.Operation == reference:
                    if (IsInFinally(conditional))
                    {
                        return Finished;
                    }

                    disposed = true;
                    break;
            }
        }

        return new RunUse(disposed ? RunUseKind.DisposedNotOnEveryPath : RunUseKind.NeverDisposed, fixable);
    }

    /// <summary>The lambda or local function <paramref name="operation"/> is in, or <see langword="null"/> for the member's own body.</summary>
    internal static IOperation? EnclosingFunction(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return current;
            }
        }

        return null;
    }

    private static bool IsInFinally(IOperation operation)
    {
        var child = operation;
        for (var current = operation.Parent; current is not null; child = current, current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return false;
            }

            if (current is ITryOperation tryOperation && tryOperation.Finally == child)
            {
                return true;
            }
        }

        return false;
    }
}
