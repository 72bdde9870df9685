using AgentBridge.Analyzers.Rules;
using AgentBridge.Analyzers.Tests.Verifiers;
using AgentBridge.CodeFixes.Rules;
using Microsoft.CodeAnalysis;
using Verify = AgentBridge.Analyzers.Tests.Verifiers.AgentBridgeVerifier<AgentBridge.Analyzers.Tests.Verifiers.Rule.AGB0004, AgentBridge.CodeFixes.Rules.DirectBridgeConstructionCodeFix>;

namespace AgentBridge.Analyzers.Tests.Fixes;

public class AGB0004DirectBridgeConstructionCodeFixTests
{
    [Fact]
    public Task A_factory_parameter_in_scope_is_used() =>
        Verify.VerifyFixAsync("""
            using AgentBridge;

            class Agent
            {
                AgentWebSocketBridge Make(IAgentWebSocketBridgeFactory factory, WebSocketConnectionManager manager, UserExecutionContext context)
                {
                    // keep me
                    return /* before */ {|AGB0004:new AgentWebSocketBridge(manager, context)|} /* after */;
                }
            }
            """, """
            using AgentBridge;

            class Agent
            {
                AgentWebSocketBridge Make(IAgentWebSocketBridgeFactory factory, WebSocketConnectionManager manager, UserExecutionContext context)
                {
                    // keep me
                    return /* before */ factory.Create(context) /* after */;
                }
            }
            """);

    [Fact]
    public Task A_factory_field_is_used_with_named_reordered_arguments_and_target_typed_new() =>
        Verify.VerifyFixAsync("""
            using AgentBridge;

            class Agent
            {
                private readonly IAgentWebSocketBridgeFactory _factory;
                private readonly WebSocketConnectionManager _manager;

                public Agent(IAgentWebSocketBridgeFactory factory, WebSocketConnectionManager manager) { _factory = factory; _manager = manager; }

                AgentWebSocketBridge A(UserExecutionContext context) => {|AGB0004:new AgentWebSocketBridge(userContext: context, manager: _manager)|};
                AgentWebSocketBridge B(UserExecutionContext context) => {|AGB0004:new(_manager, context)|};
            }
            """, """
            using AgentBridge;

            class Agent
            {
                private readonly IAgentWebSocketBridgeFactory _factory;
                private readonly WebSocketConnectionManager _manager;

                public Agent(IAgentWebSocketBridgeFactory factory, WebSocketConnectionManager manager) { _factory = factory; _manager = manager; }

                AgentWebSocketBridge A(UserExecutionContext context) => _factory.Create(context);
                AgentWebSocketBridge B(UserExecutionContext context) => _factory.Create(context);
            }
            """);

    [Fact]
    public Task Without_a_factory_one_is_injected_through_a_new_constructor() =>
        Verify.VerifyFixAsync("""
            using AgentBridge;

            class Agent
            {
                private readonly WebSocketConnectionManager _manager = new();

                AgentWebSocketBridge Make(UserExecutionContext context) => {|AGB0004:new AgentWebSocketBridge(_manager, context)|};
            }
            """, """
            using AgentBridge;

            class Agent
            {
                private readonly WebSocketConnectionManager _manager = new();
                private readonly IAgentWebSocketBridgeFactory _bridgeFactory;

                public Agent(IAgentWebSocketBridgeFactory bridgeFactory)
                {
                    _bridgeFactory = bridgeFactory;
                }

                AgentWebSocketBridge Make(UserExecutionContext context) => _bridgeFactory.Create(context);
            }
            """);

    [Fact]
    public Task The_only_constructor_gets_the_parameter_before_optional_ones_and_fix_all_injects_once() =>
        Verify.VerifyFixAsync("""
            using System;
            using AgentBridge;

            class Agent
            {
                private readonly WebSocketConnectionManager _manager;

                public Agent(WebSocketConnectionManager manager, string name = "agent")
                {
                    _manager = manager;
                }

                AgentWebSocketBridge A(UserExecutionContext context) => {|AGB0004:new AgentWebSocketBridge(_manager, context)|};

                Func<AgentWebSocketBridge> B(UserExecutionContext context)
                {
                    return () => Local();
                    AgentWebSocketBridge Local() => {|AGB0004:new AgentWebSocketBridge(_manager, context)|};
                }
            }
            """, """
            using System;
            using AgentBridge;

            class Agent
            {
                private readonly WebSocketConnectionManager _manager;
                private readonly IAgentWebSocketBridgeFactory _bridgeFactory;

                public Agent(WebSocketConnectionManager manager, IAgentWebSocketBridgeFactory bridgeFactory, string name = "agent")
                {
                    _bridgeFactory = bridgeFactory;
                    _manager = manager;
                }

                AgentWebSocketBridge A(UserExecutionContext context) => _bridgeFactory.Create(context);

                Func<AgentWebSocketBridge> B(UserExecutionContext context)
                {
                    return () => Local();
                    AgentWebSocketBridge Local() => _bridgeFactory.Create(context);
                }
            }
            """);

    [Fact]
    public Task A_using_is_added_only_when_the_factory_type_is_not_imported() =>
        Verify.VerifyFixAsync("""
            using System;

            namespace MyApp;

            class Agent
            {
                AgentBridge.AgentWebSocketBridge Make(AgentBridge.WebSocketConnectionManager manager, AgentBridge.UserExecutionContext context) =>
                    {|AGB0004:new AgentBridge.AgentWebSocketBridge(manager, context)|};
            }
            """, """
            using System;
            using AgentBridge;

            namespace MyApp;

            class Agent
            {
                private readonly IAgentWebSocketBridgeFactory _bridgeFactory;

                public Agent(IAgentWebSocketBridgeFactory bridgeFactory)
                {
                    _bridgeFactory = bridgeFactory;
                }

                AgentBridge.AgentWebSocketBridge Make(AgentBridge.WebSocketConnectionManager manager, AgentBridge.UserExecutionContext context) =>
                    _bridgeFactory.Create(context);
            }
            """);

    [Fact]
    public Task Fix_all_rewrites_every_document_of_the_solution() =>
        Verify.VerifyFixAsync(
            new[]
            {
                """
                using AgentBridge;

                class A
                {
                    object Make(IAgentWebSocketBridgeFactory f, WebSocketConnectionManager m, UserExecutionContext c) => {|AGB0004:new AgentWebSocketBridge(m, c)|};
                }
                """,
                """
                using AgentBridge;

                class B
                {
                    object Make(IAgentWebSocketBridgeFactory f, WebSocketConnectionManager m, UserExecutionContext c) => {|AGB0004:new AgentWebSocketBridge(m, c)|};
                }
                """,
            },
            new[]
            {
                """
                using AgentBridge;

                class A
                {
                    object Make(IAgentWebSocketBridgeFactory f, WebSocketConnectionManager m, UserExecutionContext c) => f.Create(c);
                }
                """,
                """
                using AgentBridge;

                class B
                {
                    object Make(IAgentWebSocketBridgeFactory f, WebSocketConnectionManager m, UserExecutionContext c) => f.Create(c);
                }
                """,
            });

    [Fact]
    public Task No_fix_when_the_class_has_several_constructors() =>
        Verify.VerifyNoFixAsync("""
            using AgentBridge;

            class Agent
            {
                public Agent() { }
                public Agent(int x) { }

                object Make(WebSocketConnectionManager m, UserExecutionContext c) => {|AGB0004:new AgentWebSocketBridge(m, c)|};
            }
            """);

    [Fact]
    public Task No_fix_when_the_class_is_constructed_elsewhere() =>
        Verify.VerifyNoFixAsync("""
            using AgentBridge;

            class Agent
            {
                object Make(WebSocketConnectionManager m, UserExecutionContext c) => {|AGB0004:new AgentWebSocketBridge(m, c)|};
            }

            class Host
            {
                Agent Agent { get; } = new Agent();
            }
            """);

    [Fact]
    public Task No_fix_in_static_code_records_with_primary_constructors_or_top_level_statements() =>
        Verify.VerifyNoFixAsync("""
            using AgentBridge;

            static class Helpers
            {
                public static object Make(WebSocketConnectionManager m, UserExecutionContext c) => {|AGB0004:new AgentWebSocketBridge(m, c)|};
            }

            record Agent(WebSocketConnectionManager M)
            {
                object Make(UserExecutionContext c) => {|AGB0004:new AgentWebSocketBridge(M, c)|};
            }

            class WithPrimary(WebSocketConnectionManager m)
            {
                object Make(UserExecutionContext c) => {|AGB0004:new AgentWebSocketBridge(m, c)|};
            }
            """);

    [Fact]
    public Task No_fix_in_top_level_statements_without_a_factory() =>
        Verify.VerifyNoFixAsync("""
            using AgentBridge;

            var manager = new WebSocketConnectionManager();
            var bridge = {|AGB0004:new AgentWebSocketBridge(manager, UserExecutionContext.Create("u", "t"))|};
            """, OutputKind.ConsoleApplication);

    [Fact]
    public Task No_fix_for_a_construction_with_an_object_initializer() =>
        Verify.VerifyNoFixAsync("""
            using AgentBridge;

            class Agent
            {
                object Make(IAgentWebSocketBridgeFactory f, WebSocketConnectionManager m, UserExecutionContext c) => {|AGB0004:new AgentWebSocketBridge(m, c) { }|};
            }
            """);

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
    public async Task A_class_constructed_in_another_document_is_found_when_the_fix_is_chosen_and_the_code_stays_as_it_is()
    {
        string[] sources =
        [
            """
            using AgentBridge;

            public class Agent
            {
                public AgentWebSocketBridge Make(WebSocketConnectionManager m, UserExecutionContext c) => new AgentWebSocketBridge(m, c);
            }
            """,
            """
            public static class Host
            {
                public static Agent Agent { get; } = new Agent();
            }
            """,
        ];

        // The lightbulb sees this document only: it offers the fix ...
        var (titles, texts) = await DotnetFormat.ApplyFirstFixAsync(new AgentBridgeAnalyzer(), new DirectBridgeConstructionCodeFix(), [sources]);
        Assert.Equal(["Create the bridge with IAgentWebSocketBridgeFactory"], titles);

        // ... which, applied, searches the solution, finds 'new Agent()' and changes nothing rather than break it.
        Assert.Equal(sources, texts);
        Assert.Equal(sources, await DotnetFormat.FixAllAsync(new AgentBridgeAnalyzer(), new DirectBridgeConstructionCodeFix(), [sources]));
    }

    [Fact]
    public Task Fix_all_in_solution_scope_fixes_both_projects() =>
        Verify.VerifyFixInTwoProjectsAsync(
            """
            using AgentBridge;

            public class First
            {
                public AgentWebSocketBridge Make(IAgentWebSocketBridgeFactory factory, WebSocketConnectionManager m, UserExecutionContext c) => {|AGB0004:new AgentWebSocketBridge(m, c)|};
            }
            """,
            """
            using AgentBridge;

            public class First
            {
                public AgentWebSocketBridge Make(IAgentWebSocketBridgeFactory factory, WebSocketConnectionManager m, UserExecutionContext c) => factory.Create(c);
            }
            """,
            """
            using AgentBridge;

            public class Second
            {
                private readonly WebSocketConnectionManager _m = new();

                public AgentWebSocketBridge Make(UserExecutionContext c) => {|AGB0004:new(_m, c)|};
            }
            """,
            """
            using AgentBridge;

            public class Second
            {
                private readonly WebSocketConnectionManager _m = new();
                private readonly IAgentWebSocketBridgeFactory _bridgeFactory;

                public Second(IAgentWebSocketBridgeFactory bridgeFactory)
                {
                    _bridgeFactory = bridgeFactory;
                }

                public AgentWebSocketBridge Make(UserExecutionContext c) => _bridgeFactory.Create(c);
            }
            """);
}
