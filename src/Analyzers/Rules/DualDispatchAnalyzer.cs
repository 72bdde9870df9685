using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AgentBridge.Analyzers.Rules;

/// <summary>
/// AGB0005: one type that sends both through a <c>WebSocketConnectionManager</c> send member and through an
/// <c>AgentWebSocketBridge</c>. Analyzed per type (symbol start/end), never at compilation end, so it runs live.
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
        if (types.ManagerSendMethods.IsEmpty)
        {
            return;
        }

        start.RegisterSymbolStartAction(symbolStart => AnalyzeType(symbolStart, types), SymbolKind.NamedType);
    }

    private static void AnalyzeType(SymbolStartAnalysisContext context, AgentBridgeTypes types)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        var managerSends = new ConcurrentBag<Location>();
        var bridgeSends = new ConcurrentBag<Location>();

        context.RegisterOperationAction(
            operationContext =>
            {
                // Nested types are analyzed as their own type, not as part of the outer one.
                if (!SymbolEqualityComparer.Default.Equals(operationContext.ContainingSymbol.ContainingType, type))
                {
                    return;
                }

                var invocation = (IInvocationOperation)operationContext.Operation;
                if (types.IsManagerSend(invocation.TargetMethod))
                {
                    managerSends.Add(invocation.Syntax.GetLocation());
                }
                else if (types.IsBridgeSend(invocation.TargetMethod))
                {
                    bridgeSends.Add(invocation.Syntax.GetLocation());
                }
            },
            OperationKind.Invocation);

        context.RegisterSymbolEndAction(endContext =>
        {
            if (managerSends.IsEmpty || bridgeSends.IsEmpty)
            {
                return;
            }

            var sites = managerSends.Concat(bridgeSends)
                .OrderBy(location => location.SourceTree?.FilePath, System.StringComparer.Ordinal)
                .ThenBy(location => location.SourceSpan.Start)
                .ToList();

            // On the type's name; top-level statements have none (their 'Program' is declared by the file): the first site.
            var declaredInFile = type.DeclaringSyntaxReferences.Any(r => r.GetSyntax(endContext.CancellationToken) is Microsoft.CodeAnalysis.CSharp.Syntax.CompilationUnitSyntax);
            var location = type.IsImplicitlyDeclared || declaredInFile
                ? sites[0]
                : type.Locations.FirstOrDefault(l => l.IsInSource) ?? sites[0];
            endContext.ReportDiagnostic(Diagnostic.Create(
                Descriptors.AGB0005_DualDispatch,
                location,
                sites.Where(site => site != location),
                type.Name));
        });
    }
}
