using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AgentBridge.Analyzers.Rules;

/// <summary>
/// AGB0008: a line of an AgentBridge types file (<c>AgentBridge.Types.txt</c>, <c>AgentBridge.*.txt</c>) that is
/// malformed or names nothing in the compilation, reported at that line of the file. The files are read once per
/// compilation (<see cref="AgentBridgeTypes"/>); this rule only reports what that reading found, per additional file.
/// </summary>
internal static class TypesFileRule
{
    /// <summary>An additional-file action, when the reading found a problem; otherwise nothing.</summary>
    public static void Register(CompilationStartAnalysisContext start, AgentBridgeTypes types)
    {
        var problems = types.Team.Problems;
        if (problems.IsEmpty)
        {
            return;
        }

        start.RegisterAdditionalFileAction(context =>
        {
            foreach (var problem in problems)
            {
                if (problem.Path == context.AdditionalFile.Path)
                {
                    context.ReportDiagnostic(Diagnostic.Create(Descriptors.AGB0008_TypesFileEntry, problem.ToLocation(), problem.Message));
                }
            }
        });
    }
}
