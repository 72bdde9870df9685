using Microsoft.CodeAnalysis;
using Verify = AgentBridge.Analyzers.Tests.Verifiers.AgentBridgeVerifier<AgentBridge.Analyzers.Rules.MissingUserContextAnalyzer, AgentBridge.CodeFixes.Rules.MissingUserContextCodeFix>;

namespace AgentBridge.Analyzers.Tests.Fixes;

public class AGB0003MissingUserContextCodeFixTests
{
    [Fact]
    public Task The_context_parameter_is_passed_to_every_wiring_call_with_fix_all() =>
        Verify.VerifyFixAsync("""
            using System.Threading.Tasks;
            using AgentBridge;

            class Wiring
            {
                async Task Wire(AgentRegistry registry, UserAgentSession session, WebSocketConnectionManager manager, UserExecutionContext context)
                {
                    await {|AGB0003:registry.SetWebSocketManagerAsync(manager)|};
                    {|AGB0003:session.SetWebSocketManager(manager: manager)|};
                    {|AGB0003:registry.SetWebSocketManager(manager, null)|};
                }
            }
            """, """
            using System.Threading.Tasks;
            using AgentBridge;

            class Wiring
            {
                async Task Wire(AgentRegistry registry, UserAgentSession session, WebSocketConnectionManager manager, UserExecutionContext context)
                {
                    await registry.SetWebSocketManagerAsync(manager, context);
                    session.SetWebSocketManager(manager: manager, userContext: context);
                    registry.SetWebSocketManager(manager, context);
                }
            }
            """);

    private const string TwoCandidates = """
        using AgentBridge;

        class Wiring
        {
            private readonly UserExecutionContext _owner = UserExecutionContext.Create("owner", "thread");

            void Wire(AgentRegistry registry, WebSocketConnectionManager manager, UserExecutionContext context) =>
                {|AGB0003:registry.SetWebSocketManager(manager)|};
        }
        """;

    [Fact]
    public Task Each_candidate_is_its_own_fix_the_first_is_the_parameter() =>
        Verify.VerifyFixAsync(TwoCandidates, TwoCandidates.Replace("{|AGB0003:registry.SetWebSocketManager(manager)|}", "registry.SetWebSocketManager(manager, context)"), "AGB0003:Pass:context", 0);

    [Fact]
    public Task Each_candidate_is_its_own_fix_the_second_is_the_field() =>
        Verify.VerifyFixAsync(TwoCandidates, TwoCandidates.Replace("{|AGB0003:registry.SetWebSocketManager(manager)|}", "registry.SetWebSocketManager(manager, _owner)"), "AGB0003:Pass:_owner", 1);

    [Fact]
    public Task A_construction_is_rewritten_to_the_factory_in_scope() =>
        Verify.VerifyFixAsync("""
            using AgentBridge;

            class Agent
            {
                AgentWebSocketBridge Make(IAgentWebSocketBridgeFactory factory, WebSocketConnectionManager manager, UserExecutionContext context) =>
                    {|AGB0003:new AgentWebSocketBridge(manager)|};
            }
            """, """
            using AgentBridge;

            class Agent
            {
                AgentWebSocketBridge Make(IAgentWebSocketBridgeFactory factory, WebSocketConnectionManager manager, UserExecutionContext context) =>
                    factory.Create(context);
            }
            """);

    [Fact]
    public Task A_construction_gets_an_injected_factory_when_none_is_in_scope() =>
        Verify.VerifyFixAsync("""
            using AgentBridge;

            class Agent
            {
                private readonly WebSocketConnectionManager _manager = new();

                AgentWebSocketBridge Make(UserExecutionContext context) => {|AGB0003:new(_manager, null!)|};
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
    public Task In_top_level_statements_the_context_is_passed_to_the_constructor() =>
        Verify.VerifyFixAsync("""
            using AgentBridge;

            var manager = new WebSocketConnectionManager();
            var context = UserExecutionContext.Create("user-1", "thread-1");
            var bridge = {|AGB0003:new AgentWebSocketBridge(manager)|};
            """, """
            using AgentBridge;

            var manager = new WebSocketConnectionManager();
            var context = UserExecutionContext.Create("user-1", "thread-1");
            var bridge = new AgentWebSocketBridge(manager, context);
            """, OutputKind.ConsoleApplication);

    [Fact]
    public Task A_bridges_user_context_is_a_candidate_for_factory_create() =>
        Verify.VerifyFixAsync("""
            using AgentBridge;

            class Agent
            {
                AgentWebSocketBridge Make(IAgentWebSocketBridgeFactory factory, AgentWebSocketBridge parent) => {|AGB0003:factory.Create(null!)|};
            }
            """, """
            using AgentBridge;

            class Agent
            {
                AgentWebSocketBridge Make(IAgentWebSocketBridgeFactory factory, AgentWebSocketBridge parent) => factory.Create(parent.UserContext!);
            }
            """);

    [Fact]
    public Task The_bridge_being_assigned_is_not_its_own_candidate_and_without_a_context_there_is_no_fix() =>
        Verify.VerifyNoFixAsync("""
            using AgentBridge;

            class Agent
            {
                private AgentWebSocketBridge? _bridge;

                void Init(IAgentWebSocketBridgeFactory factory, WebSocketConnectionManager manager, string userId)
                {
                    _bridge = {|AGB0003:new AgentWebSocketBridge(manager)|};
                }
            }
            """);

    [Fact]
    public Task Instance_contexts_are_not_offered_in_static_code_and_later_locals_are_not_offered() =>
        Verify.VerifyNoFixAsync("""
            using AgentBridge;

            class Agent
            {
                private readonly UserExecutionContext _context = UserExecutionContext.Create("u", "t");

                static void Wire(AgentRegistry registry, WebSocketConnectionManager manager)
                {
                    {|AGB0003:registry.SetWebSocketManager(manager)|};
                    var later = UserExecutionContext.Create("u", "t");
                }
            }
            """);

    [Fact]
    public Task A_local_inside_a_lambda_of_static_code_is_a_candidate() =>
        Verify.VerifyFixAsync("""
            using System;
            using AgentBridge;

            static class Wiring
            {
                public static Action<AgentRegistry, WebSocketConnectionManager> Wire() => (registry, manager) =>
                {
                    var context = UserExecutionContext.Create("user-1", "thread-1");
                    {|AGB0003:registry.SetWebSocketManager(manager)|};
                };
            }
            """, """
            using System;
            using AgentBridge;

            static class Wiring
            {
                public static Action<AgentRegistry, WebSocketConnectionManager> Wire() => (registry, manager) =>
                {
                    var context = UserExecutionContext.Create("user-1", "thread-1");
                    registry.SetWebSocketManager(manager, context);
                };
            }
            """);
}
