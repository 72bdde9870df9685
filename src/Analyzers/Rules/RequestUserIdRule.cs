using System.Collections.Generic;
using AgentBridge.Analyzers.Flow;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AgentBridge.Analyzers.Rules;

/// <summary>
/// AGB0007: the <c>userId</c> of <c>UserExecutionContext.Create</c> or of <c>WebSocketConnectionManager.SendToUserAsync</c>
/// coming, within the method, from the request — its query string, route values, headers, form, raw cookies or body, or
/// a parameter bound from them — instead of the authenticated principal. Nothing is registered in a compilation that
/// references no ASP.NET Core assembly.
/// </summary>
internal static class RequestUserIdRule
{
    private static readonly ulong Names = FileNames.Set(FileNames.Create, FileNames.SendToUserAsync);

    public static void AddTo(List<InvocationRule> rules, Compilation compilation, AgentBridgeTypes types)
    {
        if (types.ContextCreate is not null && RequestSources.Apply(compilation))
        {
            rules.Add(new InvocationRule(Names, context => AnalyzeInvocation(context, types)));
        }
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, AgentBridgeTypes types)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var method = invocation.TargetMethod;
        if (!SymbolEqualityComparer.Default.Equals(method.OriginalDefinition, types.ContextCreate)
            && !(types.IsManagerSend(method) && method.Name == "SendToUserAsync"))
        {
            return;
        }

        var userId = AgentBridgeTypes.FindArgument(invocation.Arguments, 0);
        if (userId is null || userId.ArgumentKind == ArgumentKind.DefaultValue || userId.Value.ConstantValue.HasValue)
        {
            return;
        }

        // 'context.UserId' of a UserExecutionContext: where that context was created is checked at its own Create.
        if (AgentBridgeTypes.WithoutConversions(userId.Value) is IPropertyReferenceOperation property
            && SymbolEqualityComparer.Default.Equals(property.Property.OriginalDefinition, types.UserContextUserId))
        {
            return;
        }

        if (RequestSources.SourceOf(userId.Value) is { } source)
        {
            // On the argument as written ('user!' included), which is what the fix replaces.
            var syntax = userId.Value.Syntax;
            while (syntax.Parent is PostfixUnaryExpressionSyntax or ParenthesizedExpressionSyntax)
            {
                syntax = syntax.Parent;
            }

            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.AGB0007_UserIdFromRequest,
                syntax.GetLocation(),
                method.ContainingType.Name + "." + method.Name,
                source));
        }
    }
}
