using System;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AgentBridge.Analyzers;

/// <summary>
/// A rule about calls: the names its calls are written with (a <see cref="FileNames.Set"/>), and what it does with a
/// call in a type one of whose files has one of them.
/// </summary>
internal sealed class InvocationRule
{
    public InvocationRule(ulong names, Action<OperationAnalysisContext> analyze)
    {
        Names = names;
        Analyze = analyze;
    }

    public ulong Names { get; }

    public Action<OperationAnalysisContext> Analyze { get; }
}
