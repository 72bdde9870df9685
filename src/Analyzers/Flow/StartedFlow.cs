using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AgentBridge.Analyzers.Flow;

/// <summary>
/// Whether every path from an <c>EmitAgentStartedAsync</c> call out of its method (or lambda, or local function) passes
/// an <c>EmitAgentCompletedAsync</c>, on the control-flow graph of that body. Normal paths follow the graph's branches
/// (a <c>finally</c> that completes covers every branch leaving its <c>try</c>); an exception may leave from any
/// operation that calls, awaits or constructs something, and then goes to the handlers of the <c>try</c> regions around
/// it: a <c>finally</c> that completes ends it, a catch-all continues the path in its handler, anything else leaves the
/// method.
/// </summary>
internal sealed class StartedFlow
{
    private static readonly FrameworkType SystemException = new FrameworkType("System.Exception");

    private readonly ControlFlowGraph _graph;
    private readonly AgentBridgeTypes _types;
    private readonly Dictionary<ControlFlowRegion, bool> _regionCompletes = new Dictionary<ControlFlowRegion, bool>();
    private readonly Stack<(BasicBlock Block, int From)> _work = new Stack<(BasicBlock Block, int From)>();
    private readonly HashSet<int> _entered = new HashSet<int>();

    private StartedFlow(ControlFlowGraph graph, AgentBridgeTypes types)
    {
        _graph = graph;
        _types = types;
    }

    public static bool EndsOnEveryPath(OperationAnalysisContext context, IInvocationOperation started, AgentBridgeTypes types)
    {
        // Two answers the operation tree gives without a graph (which costs the most of this rule): no completion in the
        // body at all, and the shape of every well-written method — started, then at once a try whose finally completes.
        switch (Shortcut(started, types))
        {
            case false:
                return false;
            case true:
                return true;
        }

        var graph = GraphOf(context, started);
        if (graph is null)
        {
            // No graph for this body (code that does not bind): say nothing rather than guess.
            return true;
        }

        return new StartedFlow(graph, types).EndsOnEveryPathFrom(started.Syntax);
    }

    /// <summary>
    /// <see langword="false"/> when the body of the started call has no <c>EmitAgentCompletedAsync</c> at all (every path
    /// lacks one), or when, outside any <c>try</c>, the started call's statement is followed at once by a call that may
    /// throw (that exception leaves the method without completing); <see langword="true"/> when the statement is followed
    /// at once, in its block, by a <c>try</c> whose <c>finally</c> completes (every path after it passes that
    /// <c>finally</c>); otherwise <see langword="null"/>: the graph decides.
    /// </summary>
    private static bool? Shortcut(IInvocationOperation started, AgentBridgeTypes types)
    {
        IOperation? statement = started;
        while (statement.Parent is { } parent && parent is not IBlockOperation)
        {
            if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return null;
            }

            statement = parent;
        }

        if (statement.Parent is not IBlockOperation block)
        {
            return null;
        }

        var index = block.Operations.IndexOf(statement);
        var next = index >= 0 && index + 1 < block.Operations.Length ? block.Operations[index + 1] : null;
        if (next is ITryOperation { Finally: { } finallyBlock } && Completes(finallyBlock, types))
        {
            return true;
        }

        IOperation body = block;
        var inTry = false;
        while (body.Parent is { } up && up is not (IAnonymousFunctionOperation or ILocalFunctionOperation))
        {
            inTry |= up is ITryOperation;
            body = up;
        }

        if (!Completes(body, types))
        {
            return false;
        }

        // 'started; var answer = await work();' with no try around: work's exception leaves without completing.
        return !inTry && statement is IExpressionStatementOperation && next is not null && ThrowsFirst(next, types) ? false : null;
    }

    /// <summary>
    /// Whether <paramref name="statement"/> is a plain call, await or construction (assigned or declared, at most), which
    /// runs whenever the statement does and may throw, with no <c>EmitAgentCompletedAsync</c> in it.
    /// </summary>
    private static bool ThrowsFirst(IOperation statement, AgentBridgeTypes types)
    {
        IOperation? value = statement switch
        {
            IExpressionStatementOperation expression => expression.Operation,
            IVariableDeclarationGroupOperation { Declarations.Length: 1 } group
                when group.Declarations[0].Declarators.Length == 1 => group.Declarations[0].Declarators[0].Initializer?.Value,
            _ => null,
        };

        if (value is ISimpleAssignmentOperation assignment)
        {
            value = assignment.Value;
        }

        value = value is null ? null : AgentBridgeTypes.WithoutConversions(value);
        return value is IAwaitOperation or IInvocationOperation or IObjectCreationOperation && !Completes(statement, types);
    }

    private static bool Completes(IOperation operation, AgentBridgeTypes types)
    {
        foreach (var descendant in operation.DescendantsAndSelf())
        {
            if (descendant is IInvocationOperation invocation && types.IsAgentCompleted(invocation.TargetMethod))
            {
                return true;
            }
        }

        return false;
    }

    private bool EndsOnEveryPathFrom(SyntaxNode startedSyntax)
    {
        if (!Find(startedSyntax, out var start, out var index))
        {
            return true;
        }

        _work.Push((start, index + 1));
        while (_work.Count > 0)
        {
            var (block, from) = _work.Pop();
            if (!Follow(block, from))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Walks one block from operation <paramref name="from"/>; false when a path leaves without completing.</summary>
    private bool Follow(BasicBlock block, int from)
    {
        var count = OperationCount(block);
        for (var i = from; i < count; i++)
        {
            var operation = OperationAt(block, i);
            if (ContainsCompleted(operation))
            {
                return true;
            }

            if (MayThrow(operation) && !ExceptionEnds(block))
            {
                return false;
            }
        }

        if (block.Kind == BasicBlockKind.Exit)
        {
            return false;
        }

        foreach (var branch in new[] { block.ConditionalSuccessor, block.FallThroughSuccessor })
        {
            if (branch is null || FinallyCompletes(branch))
            {
                continue;
            }

            switch (branch.Semantics)
            {
                case ControlFlowBranchSemantics.Throw:
                case ControlFlowBranchSemantics.Rethrow:
                    if (!ExceptionEnds(block))
                    {
                        return false;
                    }

                    continue;
                case ControlFlowBranchSemantics.StructuredExceptionHandling:
                case ControlFlowBranchSemantics.ProgramTermination:
                case ControlFlowBranchSemantics.Error:
                    // The end of a finally or filter resumes a flow walked elsewhere; the others end nothing we can see.
                    continue;
            }

            if (branch.Destination is not { } destination)
            {
                continue;
            }

            if (destination.Kind == BasicBlockKind.Exit)
            {
                return false;
            }

            if (_entered.Add(destination.Ordinal))
            {
                _work.Push((destination, 0));
            }
        }

        return true;
    }

    /// <summary>
    /// An exception leaving <paramref name="block"/>: true when a <c>finally</c> on its way completes, or a catch-all
    /// takes it (that handler's path is then walked too); false when it may leave the method without completing.
    /// </summary>
    private bool ExceptionEnds(BasicBlock block)
    {
        for (var region = block.EnclosingRegion; region is not null; region = region.EnclosingRegion)
        {
            if (region.Kind != ControlFlowRegionKind.Try || region.EnclosingRegion is not { } owner)
            {
                continue;
            }

            if (owner.Kind == ControlFlowRegionKind.TryAndFinally)
            {
                if (RegionCompletes(owner.NestedRegions[1]))
                {
                    return true;
                }

                continue;
            }

            if (owner.Kind != ControlFlowRegionKind.TryAndCatch)
            {
                continue;
            }

            var caught = false;
            for (var i = 1; i < owner.NestedRegions.Length; i++)
            {
                var handler = owner.NestedRegions[i];
                var first = _graph.Blocks[handler.FirstBlockOrdinal];
                if (_entered.Add(first.Ordinal))
                {
                    _work.Push((first, 0));
                }

                caught |= handler.Kind == ControlFlowRegionKind.Catch && CatchesEverything(handler.ExceptionType);
            }

            if (caught)
            {
                return true;
            }
        }

        return false;
    }

    private static bool CatchesEverything(ITypeSymbol? exceptionType) =>
        exceptionType is null
        || exceptionType.SpecialType == SpecialType.System_Object
        || SystemException.Is(exceptionType);

    private bool FinallyCompletes(ControlFlowBranch branch)
    {
        foreach (var region in branch.FinallyRegions)
        {
            if (RegionCompletes(region))
            {
                return true;
            }
        }

        return false;
    }

    private bool RegionCompletes(ControlFlowRegion region)
    {
        if (_regionCompletes.TryGetValue(region, out var completes))
        {
            return completes;
        }

        completes = false;
        for (var ordinal = region.FirstBlockOrdinal; ordinal <= region.LastBlockOrdinal && !completes; ordinal++)
        {
            var block = _graph.Blocks[ordinal];
            for (var i = 0; i < OperationCount(block) && !completes; i++)
            {
                completes = ContainsCompleted(OperationAt(block, i));
            }
        }

        _regionCompletes[region] = completes;
        return completes;
    }

    private bool ContainsCompleted(IOperation operation)
    {
        foreach (var descendant in operation.DescendantsAndSelf())
        {
            if (descendant is IInvocationOperation invocation && _types.IsAgentCompleted(invocation.TargetMethod))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Calls, awaits and constructions may throw; reads of locals, fields and constants are taken not to.</summary>
    private static bool MayThrow(IOperation operation)
    {
        foreach (var descendant in operation.DescendantsAndSelf())
        {
            if (descendant is IInvocationOperation or IAwaitOperation or IObjectCreationOperation
                or IDynamicInvocationOperation or IDynamicObjectCreationOperation or IThrowOperation)
            {
                return true;
            }
        }

        return false;
    }

    private bool Find(SyntaxNode startedSyntax, out BasicBlock block, out int index)
    {
        foreach (var candidate in _graph.Blocks)
        {
            for (var i = 0; i < OperationCount(candidate); i++)
            {
                var operation = OperationAt(candidate, i);
                if (!operation.Syntax.Span.Contains(startedSyntax.Span))
                {
                    continue;
                }

                foreach (var descendant in operation.DescendantsAndSelf())
                {
                    if (descendant is IInvocationOperation && descendant.Syntax == startedSyntax)
                    {
                        block = candidate;
                        index = i;
                        return true;
                    }
                }
            }
        }

        block = _graph.Blocks[0];
        index = 0;
        return false;
    }

    private static int OperationCount(BasicBlock block) => block.Operations.Length + (block.BranchValue is null ? 0 : 1);

    private static IOperation OperationAt(BasicBlock block, int index) =>
        index < block.Operations.Length ? block.Operations[index] : block.BranchValue!;

    /// <summary>The graph of the innermost lambda or local function around <paramref name="operation"/>, or of its member.</summary>
    private static ControlFlowGraph? GraphOf(OperationAnalysisContext context, IOperation operation)
    {
        var functions = new List<IOperation>();
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                functions.Add(current);
            }
        }

        ControlFlowGraph? graph = context.GetControlFlowGraph();
        for (var i = functions.Count - 1; i >= 0 && graph is not null; i--)
        {
            graph = functions[i] switch
            {
                ILocalFunctionOperation local => graph.LocalFunctions.Contains(local.Symbol) ? graph.GetLocalFunctionControlFlowGraph(local.Symbol) : null,
                IAnonymousFunctionOperation lambda => LambdaGraph(graph, lambda.Symbol),
                _ => null,
            };
        }

        return graph;
    }

    private static ControlFlowGraph? LambdaGraph(ControlFlowGraph graph, IMethodSymbol lambda)
    {
        foreach (var block in graph.Blocks)
        {
            for (var i = 0; i < OperationCount(block); i++)
            {
                foreach (var descendant in OperationAt(block, i).DescendantsAndSelf())
                {
                    if (descendant is IFlowAnonymousFunctionOperation flow && SymbolEqualityComparer.Default.Equals(flow.Symbol, lambda))
                    {
                        return graph.GetAnonymousFunctionControlFlowGraph(flow);
                    }
                }
            }
        }

        return null;
    }
}
