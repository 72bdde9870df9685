using AgentBridge.Analyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis;

namespace AgentBridge.Analyzers.Tests.Rules;

/// <summary>Shapes not covered by the per-rule files: generics and partial types for AGB0002, conditional access for AGB0003.</summary>
public class MoreEdgeCaseTests
{
    [Fact]
    public Task AGB0002_static_bridges_in_generic_and_partial_types_and_expression_bodied_registrations_are_reported() =>
        AgentBridgeVerifier<AgentBridge.Analyzers.Rules.SingletonBridgeAnalyzer>.VerifyAnalyzerAsync(new[]
        {
            """
            using System;
            using AgentBridge;

            class Cache<T>
            {
                static Lazy<AgentWebSocketBridge>? {|AGB0002:_perType|};
            }

            partial class Holder
            {
                static AgentWebSocketBridge? {|AGB0002:_first|};
            }
            """,
            """
            using AgentBridge;
            using Microsoft.Extensions.DependencyInjection;

            partial class Holder
            {
                static AgentWebSocketBridge? {|AGB0002:_second|};

                static IServiceCollection Configure(IServiceCollection services) => {|AGB0002:services.AddSingleton<AgentWebSocketBridge>(_ => _first!)|};
            }
            """,
        });

    [Fact]
    public Task AGB0003_conditional_access_wiring_is_reported_and_fixed() =>
        AgentBridgeVerifier<AgentBridge.Analyzers.Rules.MissingUserContextAnalyzer, AgentBridge.CodeFixes.Rules.MissingUserContextCodeFix>.VerifyFixAsync("""
            using AgentBridge;

            class Wiring
            {
                void Wire(AgentRegistry? registry, WebSocketConnectionManager manager, UserExecutionContext context) =>
                    registry?{|AGB0003:.SetWebSocketManager(manager)|};
            }
            """, """
            using AgentBridge;

            class Wiring
            {
                void Wire(AgentRegistry? registry, WebSocketConnectionManager manager, UserExecutionContext context) =>
                    registry?.SetWebSocketManager(manager, context);
            }
            """);

    [Fact]
    public Task AGB0003_in_a_generic_method_of_a_partial_class_passes_the_field_from_the_other_part() =>
        AgentBridgeVerifier<AgentBridge.Analyzers.Rules.MissingUserContextAnalyzer, AgentBridge.CodeFixes.Rules.MissingUserContextCodeFix>.VerifyFixAsync(
            new[]
            {
                """
                using AgentBridge;

                partial class Agent
                {
                    T Wire<T>(T state, AgentRegistry registry, WebSocketConnectionManager manager)
                    {
                        {|AGB0003:registry.SetWebSocketManager(manager)|};
                        return state;
                    }
                }
                """,
                """
                using AgentBridge;

                partial class Agent
                {
                    private readonly UserExecutionContext _context = UserExecutionContext.Create("u", "t");
                }
                """,
            },
            new[]
            {
                """
                using AgentBridge;

                partial class Agent
                {
                    T Wire<T>(T state, AgentRegistry registry, WebSocketConnectionManager manager)
                    {
                        registry.SetWebSocketManager(manager, _context);
                        return state;
                    }
                }
                """,
                """
                using AgentBridge;

                partial class Agent
                {
                    private readonly UserExecutionContext _context = UserExecutionContext.Create("u", "t");
                }
                """,
            });
}
