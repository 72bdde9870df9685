using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AgentBridge.Analyzers.Rules;

/// <summary>
/// AGB0005: one type that sends both through a direct send (a <c>WebSocketConnectionManager</c> send member, or a
/// <c>send</c> of a types file) and through an emitter (<c>AgentWebSocketBridge</c>, or an <c>emitter</c> of a types
/// file). Analyzed per type (symbol start/end), never at compilation end, so it runs live.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DualDispatchAnalyzer : AgentBridgeAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.AGB0005_DualDispatch);

    /// <inheritdoc />
    private protected override void RegisterActions(CompilationStartAnalysisContext start, AgentBridgeTypes types)
    {
        if (types.ManagerSendMethods.IsEmpty && !types.Team.HasSends)
        {
            return;
        }

        start.RegisterSymbolStartAction(symbolStart => AnalyzeType(symbolStart, types), SymbolKind.NamedType);
    }

    private static readonly ulong DirectSendNames =
        FileNames.Set(FileNames.SendToUserAsync, FileNames.SendToConnectionAsync, FileNames.BroadcastAsync, FileNames.TeamSend);

    private static void AnalyzeType(SymbolStartAnalysisContext context, AgentBridgeTypes types)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (type.TypeKind is not (TypeKind.Class or TypeKind.Struct or TypeKind.Interface))
        {
            // Enums and delegates hold no code.
            return;
        }

        // A type with no direct send cannot send both ways: in most types no file of it even has a send's name, and they
        // are not watched at all (no callback for each of their calls).
        if (!types.FileNames.AnyIn(type, DirectSendNames, context.CancellationToken))
        {
            return;
        }

        var sites = new SendSites();
        context.RegisterOperationAction(
            operationContext =>
            {
                var invocation = (IInvocationOperation)operationContext.Operation;
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

                // Nested types are analyzed as their own type, not as part of the outer one.
                if (SymbolEqualityComparer.Default.Equals(operationContext.ContainingSymbol.ContainingType, type))
                {
                    sites.Add(invocation.Syntax, direct);
                }
            },
            OperationKind.Invocation);

        context.RegisterSymbolEndAction(endContext =>
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

            // On the type's name; top-level statements have none (their 'Program' is declared by the file): the first site.
            var declaredInFile = type.DeclaringSyntaxReferences.Any(r => r.GetSyntax(endContext.CancellationToken) is CompilationUnitSyntax);
            var location = type.IsImplicitlyDeclared || declaredInFile
                ? locations[0]
                : type.Locations.FirstOrDefault(l => l.IsInSource) ?? locations[0];
            endContext.ReportDiagnostic(Diagnostic.Create(
                Descriptors.AGB0005_DualDispatch,
                location,
                locations.Where(site => site != location),
                type.Name));
        });
    }

    /// <summary>The send sites of one type, by path; written from concurrent operation callbacks.</summary>
    private sealed class SendSites
    {
        private readonly List<SyntaxNode> _nodes = new List<SyntaxNode>();
        private bool _direct;
        private bool _emitter;

        public void Add(SyntaxNode node, bool direct)
        {
            lock (_nodes)
            {
                _nodes.Add(node);
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
