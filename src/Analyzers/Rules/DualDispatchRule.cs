using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AgentBridge.Analyzers.Rules;

/// <summary>
/// AGB0005: one type that sends both through a direct send (a <c>WebSocketConnectionManager</c> send member, or a
/// <c>send</c> of a types file) and through an emitter (<c>AgentWebSocketBridge</c>, or an <c>emitter</c> of a types
/// file). Analyzed per type (its calls, then its symbol end), never at compilation end, so it runs live. A type none of
/// whose files has a direct send's name cannot send both ways, and is not watched.
/// </summary>
internal static class DualDispatchRule
{
    /// <summary>The names of the direct sends.</summary>
    public static readonly ulong Names =
        FileNames.Set(FileNames.SendToUserAsync, FileNames.SendToConnectionAsync, FileNames.BroadcastAsync, FileNames.TeamSend);

    /// <summary>Whether the compilation has a direct send at all.</summary>
    public static bool Applies(AgentBridgeTypes types) => !types.ManagerSendMethods.IsEmpty || types.Team.HasSends;

    /// <summary>Reports the type if it sends both ways, on its name (on its first site for top-level statements).</summary>
    public static void Report(SymbolAnalysisContext context, INamedTypeSymbol type, SendSites sites)
    {
        var found = sites.TakeIfBoth();
        if (found is null)
        {
            return;
        }

        // Locations are made only here, for the few types that send both ways.
        var locations = found
            .Select(node => node.GetLocation())
            .OrderBy(location => location.SourceTree?.FilePath, System.StringComparer.Ordinal)
            .ThenBy(location => location.SourceSpan.Start)
            .ToList();

        // Top-level statements have no name (their 'Program' is declared by the file): the first site. A partial type is
        // reported on its first part that has a site (the sites are never in generated code), else on its first part.
        var declaredInFile = type.DeclaringSyntaxReferences.Any(r => r.GetSyntax(context.CancellationToken) is CompilationUnitSyntax);
        var location = type.IsImplicitlyDeclared || declaredInFile
            ? locations[0]
            : type.Locations.FirstOrDefault(l => l.IsInSource && locations.Any(site => site.SourceTree == l.SourceTree))
                ?? type.Locations.FirstOrDefault(l => l.IsInSource)
                ?? locations[0];
        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.AGB0005_DualDispatch,
            location,
            locations.Where(site => site != location),
            type.Name));
    }

    /// <summary>The send sites of one type, by path; written from concurrent operation callbacks.</summary>
    internal sealed class SendSites
    {
        private readonly List<SyntaxNode> _nodes = new List<SyntaxNode>();
        private bool _direct;
        private bool _emitter;

        /// <summary>Keeps the call if it is a direct send or an emitter's send.</summary>
        public void Add(OperationAnalysisContext context, AgentBridgeTypes types)
        {
            var invocation = (IInvocationOperation)context.Operation;
            var method = invocation.TargetMethod;
            bool direct;
            if (types.IsDirectSend(method))
            {
                direct = true;
            }
            else if (types.IsEmitterSend(method))
            {
                direct = false;
            }
            else
            {
                return;
            }

            lock (_nodes)
            {
                _nodes.Add(invocation.Syntax);
                _direct |= direct;
                _emitter |= !direct;
            }
        }

        /// <summary>Every site, when the type sends both ways; otherwise <see langword="null"/>.</summary>
        public List<SyntaxNode>? TakeIfBoth()
        {
            lock (_nodes)
            {
                return _direct && _emitter ? new List<SyntaxNode>(_nodes) : null;
            }
        }
    }
}
