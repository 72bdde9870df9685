using Microsoft.CodeAnalysis;
using Verify = AgentBridge.Analyzers.Tests.Verifiers.AgentBridgeVerifier<AgentBridge.Analyzers.Rules.DirectBridgeConstructionAnalyzer, AgentBridge.CodeFixes.Rules.DirectBridgeConstructionCodeFix>;
using VerifySend = AgentBridge.Analyzers.Tests.Verifiers.AgentBridgeVerifier<AgentBridge.Analyzers.Rules.DirectManagerSendAnalyzer, AgentBridge.CodeFixes.Rules.DirectManagerSendCodeFix>;

namespace AgentBridge.Analyzers.Tests.Fixes;

/// <summary>Where the factory is injected into the very constructor the fixed code is in, into generic and partial classes.</summary>
public class InjectionEdgeCaseTests
{
    [Fact]
    public Task A_construction_inside_the_constructor_gets_the_parameter_of_that_constructor() =>
        Verify.VerifyFixAsync("""
            using AgentBridge;

            class Agent
            {
                private readonly AgentWebSocketBridge _bridge;

                public Agent(WebSocketConnectionManager manager, UserExecutionContext context)
                {
                    _bridge = {|AGB0004:new AgentWebSocketBridge(manager, context)|};
                }
            }
            """, """
            using AgentBridge;

            class Agent
            {
                private readonly AgentWebSocketBridge _bridge;
                private readonly IAgentWebSocketBridgeFactory _bridgeFactory;

                public Agent(WebSocketConnectionManager manager, UserExecutionContext context, IAgentWebSocketBridgeFactory bridgeFactory)
                {
                    _bridgeFactory = bridgeFactory;
                    _bridge = _bridgeFactory.Create(context);
                }
            }
            """);

    [Fact]
    public Task A_generic_class_with_await_using_gets_the_factory() =>
        Verify.VerifyFixAsync("""
            using System.Threading.Tasks;
            using AgentBridge;

            class Runner<TState> where TState : class
            {
                private readonly WebSocketConnectionManager _manager = new();

                public async Task RunAsync(UserExecutionContext context, TState state)
                {
                    await using var run = await {|AGB0004:new AgentWebSocketBridge(_manager, context)|}.BeginRunAsync("runner");
                    run.Complete(state);
                }
            }
            """, """
            using System.Threading.Tasks;
            using AgentBridge;

            class Runner<TState> where TState : class
            {
                private readonly WebSocketConnectionManager _manager = new();
                private readonly IAgentWebSocketBridgeFactory _bridgeFactory;

                public Runner(IAgentWebSocketBridgeFactory bridgeFactory)
                {
                    _bridgeFactory = bridgeFactory;
                }

                public async Task RunAsync(UserExecutionContext context, TState state)
                {
                    await using var run = await _bridgeFactory.Create(context).BeginRunAsync("runner");
                    run.Complete(state);
                }
            }
            """);

    [Fact]
    public Task A_factory_declared_in_another_part_of_a_partial_class_is_used() =>
        Verify.VerifyFixAsync(
            new[]
            {
                """
                using AgentBridge;

                partial class Agent
                {
                    object Make(WebSocketConnectionManager m, UserExecutionContext c) => {|AGB0004:new AgentWebSocketBridge(m, c)|};
                }
                """,
                """
                using AgentBridge;

                partial class Agent
                {
                    private readonly IAgentWebSocketBridgeFactory _factory;

                    public Agent(IAgentWebSocketBridgeFactory factory) => _factory = factory;
                }
                """,
            },
            new[]
            {
                """
                using AgentBridge;

                partial class Agent
                {
                    object Make(WebSocketConnectionManager m, UserExecutionContext c) => _factory.Create(c);
                }
                """,
                """
                using AgentBridge;

                partial class Agent
                {
                    private readonly IAgentWebSocketBridgeFactory _factory;

                    public Agent(IAgentWebSocketBridgeFactory factory) => _factory = factory;
                }
                """,
            });

    [Fact]
    public Task No_injection_into_a_partial_class_declared_in_several_files() =>
        Verify.VerifyFixAsync(
            new[]
            {
                """
                using AgentBridge;

                partial class Agent
                {
                    object Make(WebSocketConnectionManager m, UserExecutionContext c) => {|AGB0004:new AgentWebSocketBridge(m, c)|};
                }
                """,
                """
                partial class Agent
                {
                }
                """,
            },
            new[]
            {
                """
                using AgentBridge;

                partial class Agent
                {
                    object Make(WebSocketConnectionManager m, UserExecutionContext c) => {|AGB0004:new AgentWebSocketBridge(m, c)|};
                }
                """,
                """
                partial class Agent
                {
                }
                """,
            });

    [Fact]
    public Task No_injection_into_a_class_that_has_derived_classes() =>
        Verify.VerifyNoFixAsync("""
            using AgentBridge;

            class Agent
            {
                protected object Make(WebSocketConnectionManager m, UserExecutionContext c) => {|AGB0004:new AgentWebSocketBridge(m, c)|};
            }

            class SpecialAgent : Agent
            {
            }
            """);

    [Fact]
    public Task No_injection_into_an_expression_bodied_constructor() =>
        Verify.VerifyNoFixAsync("""
            using AgentBridge;

            class Agent
            {
                private readonly WebSocketConnectionManager _m;

                public Agent(WebSocketConnectionManager m) => _m = m;

                object Make(UserExecutionContext c) => {|AGB0004:new AgentWebSocketBridge(_m, c)|};
            }
            """);

    [Fact]
    public Task No_injection_from_a_field_initializer_or_a_static_lambda() =>
        Verify.VerifyNoFixAsync("""
            using System;
            using AgentBridge;

            class Agent
            {
                private static readonly WebSocketConnectionManager Manager = new();
                private readonly AgentWebSocketBridge _bridge = {|AGB0004:new AgentWebSocketBridge(Manager, UserExecutionContext.Create("u", "t"))|};

                Func<UserExecutionContext, AgentWebSocketBridge> Make() => static c => {|AGB0004:new AgentWebSocketBridge(Manager, c)|};
            }
            """);

    [Fact]
    public Task Fix_all_in_the_solution_injects_once_into_each_class() =>
        VerifySend.VerifyFixAsync(
            new[]
            {
                """
                using System.Threading.Tasks;
                using AgentBridge;

                class A
                {
                    private readonly WebSocketConnectionManager _m = new();

                    Task One(UserExecutionContext c, AgentEvent e) => {|AGB0001:_m.SendToUserAsync(c.UserId, e)|};
                    Task Two(UserExecutionContext c, AgentEvent e) => {|AGB0001:_m.SendToUserAsync(c.UserId, e)|};
                }
                """,
                """
                using System.Threading.Tasks;
                using AgentBridge;

                class B
                {
                    private readonly WebSocketConnectionManager _m = new();

                    Task One(UserExecutionContext c, AgentEvent e) => {|AGB0001:_m.SendToUserAsync(c.UserId, e)|};
                }
                """,
            },
            new[]
            {
                """
                using System.Threading.Tasks;
                using AgentBridge;

                class A
                {
                    private readonly WebSocketConnectionManager _m = new();
                    private readonly IAgentWebSocketBridgeFactory _bridgeFactory;

                    public A(IAgentWebSocketBridgeFactory bridgeFactory)
                    {
                        _bridgeFactory = bridgeFactory;
                    }

                    Task One(UserExecutionContext c, AgentEvent e) => _bridgeFactory.Create(c).EmitAsync(e);
                    Task Two(UserExecutionContext c, AgentEvent e) => _bridgeFactory.Create(c).EmitAsync(e);
                }
                """,
                """
                using System.Threading.Tasks;
                using AgentBridge;

                class B
                {
                    private readonly WebSocketConnectionManager _m = new();
                    private readonly IAgentWebSocketBridgeFactory _bridgeFactory;

                    public B(IAgentWebSocketBridgeFactory bridgeFactory)
                    {
                        _bridgeFactory = bridgeFactory;
                    }

                    Task One(UserExecutionContext c, AgentEvent e) => _bridgeFactory.Create(c).EmitAsync(e);
                }
                """,
            });
}
