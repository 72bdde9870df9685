using AgentBridge.Analyzers.Rules;
using AgentBridge.Analyzers.Tests.Verifiers;
using AgentBridge.CodeFixes.Rules;
using Microsoft.CodeAnalysis;
using Verify = AgentBridge.Analyzers.Tests.Verifiers.AgentBridgeVerifier<AgentBridge.Analyzers.Tests.Verifiers.Rule.AGB0003, AgentBridge.CodeFixes.Rules.MissingUserContextCodeFix>;

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
        Verify.VerifyFixAsync(TwoCandidates, TwoCandidates.Replace("{|AGB0003:registry.SetWebSocketManager(manager)|}", "registry.SetWebSocketManager(manager, context)"), 0, "Pass 'context'");

    [Fact]
    public Task Each_candidate_is_its_own_fix_the_second_is_the_field() =>
        Verify.VerifyFixAsync(TwoCandidates, TwoCandidates.Replace("{|AGB0003:registry.SetWebSocketManager(manager)|}", "registry.SetWebSocketManager(manager, _owner)"), 1, "Pass '_owner'");

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

    [Fact]
    public Task Conditional_access_wiring_is_fixed() =>
        Verify.VerifyFixAsync("""
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
    public Task In_a_generic_method_of_a_partial_class_passes_the_field_from_the_other_part() =>
        Verify.VerifyFixAsync(
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

    [Fact]
    public Task A_static_holder_of_a_shared_bridge_gives_no_context_and_no_fix() =>
        Verify.VerifyNoFixAsync("""
            using AgentBridge;

            static class LegacyBridge
            {
                private static readonly WebSocketConnectionManager Manager = new();

                public static AgentWebSocketBridge? Instance { get; private set; }

                private static UserExecutionContext? s_lastContext;

                public static AgentWebSocketBridge Make() => Instance = {|AGB0003:new AgentWebSocketBridge(Manager)|};
            }
            """);

    [Fact]
    public Task Values_read_from_a_static_member_or_a_singleton_are_not_candidates() =>
        Verify.VerifyNoFixAsync("""
            using AgentBridge;

            static class Shared
            {
                public static AgentWebSocketBridge Bridge { get; set; } = null!;
                public static UserExecutionContext Context { get; set; } = null!;
            }

            class Wiring
            {
                private readonly UserExecutionContext _fromHolder = Shared.Context;
                private readonly AgentWebSocketBridge _shared;
                private UserExecutionContext Current => Shared.Bridge.UserContext!;

                public Wiring() => _shared = Shared.Bridge;

                void Wire(AgentRegistry registry, WebSocketConnectionManager manager)
                {
                    var context = Shared.Bridge.UserContext;
                    {|AGB0003:registry.SetWebSocketManager(manager)|};
                }
            }
            """);

    [Fact]
    public Task An_outer_types_instance_context_is_not_offered_in_a_nested_type() =>
        Verify.VerifyNoFixAsync("""
            using AgentBridge;

            class Outer
            {
                private readonly UserExecutionContext _context = UserExecutionContext.Create("u", "t");

                class Inner
                {
                    void Wire(AgentRegistry registry, WebSocketConnectionManager manager) => {|AGB0003:registry.SetWebSocketManager(manager)|};
                }
            }
            """);

    [Fact]
    public Task Fix_all_gives_each_site_its_own_candidate_whatever_its_name() =>
        Verify.VerifyFixAsync("""
            using AgentBridge;

            class Wiring
            {
                void A(AgentRegistry registry, WebSocketConnectionManager manager, UserExecutionContext context) => {|AGB0003:registry.SetWebSocketManager(manager)|};

                void B(AgentRegistry registry, WebSocketConnectionManager manager, UserExecutionContext userContext) => {|AGB0003:registry.SetWebSocketManager(manager)|};

                AgentWebSocketBridge C(IAgentWebSocketBridgeFactory factory, AgentWebSocketBridge parent) => {|AGB0003:factory.Create(null!)|};
            }
            """, """
            using AgentBridge;

            class Wiring
            {
                void A(AgentRegistry registry, WebSocketConnectionManager manager, UserExecutionContext context) => registry.SetWebSocketManager(manager, context);

                void B(AgentRegistry registry, WebSocketConnectionManager manager, UserExecutionContext userContext) => registry.SetWebSocketManager(manager, userContext);

                AgentWebSocketBridge C(IAgentWebSocketBridgeFactory factory, AgentWebSocketBridge parent) => factory.Create(parent.UserContext!);
            }
            """);

    [Fact]
    public Task Fix_all_in_solution_scope_fixes_both_projects() =>
        Verify.VerifyFixInTwoProjectsAsync(
            """
            using AgentBridge;

            public class First
            {
                public void Wire(AgentRegistry registry, WebSocketConnectionManager manager, UserExecutionContext owner) => {|AGB0003:registry.SetWebSocketManager(manager)|};
            }
            """,
            """
            using AgentBridge;

            public class First
            {
                public void Wire(AgentRegistry registry, WebSocketConnectionManager manager, UserExecutionContext owner) => registry.SetWebSocketManager(manager, owner);
            }
            """,
            """
            using AgentBridge;

            public class Second
            {
                public void Wire(UserAgentSession session, WebSocketConnectionManager manager, UserExecutionContext context) => {|AGB0003:session.SetWebSocketManager(manager)|};
            }
            """,
            """
            using AgentBridge;

            public class Second
            {
                public void Wire(UserAgentSession session, WebSocketConnectionManager manager, UserExecutionContext context) => session.SetWebSocketManager(manager, context);
            }
            """);

    [Fact]
    public async Task Dotnet_format_gives_each_site_its_first_candidate_when_the_first_site_has_none()
    {
        string[] source =
        [
            """
            using AgentBridge;

            class Wiring
            {
                static void NoContext(AgentRegistry registry, WebSocketConnectionManager manager) => registry.SetWebSocketManager(manager);

                void A(AgentRegistry registry, WebSocketConnectionManager manager, UserExecutionContext first, UserExecutionContext second) =>
                    registry.SetWebSocketManager(manager);

                void B(AgentRegistry registry, WebSocketConnectionManager manager, UserExecutionContext other) =>
                    registry.SetWebSocketManager(manager);
            }
            """,
        ];

        var fixedText = await DotnetFormat.FixAllAsync(new AgentBridgeAnalyzer(), new MissingUserContextCodeFix(), [source]);

        Assert.Equal(source[0]
            .Replace("first, UserExecutionContext second) =>\n        registry.SetWebSocketManager(manager);", "first, UserExecutionContext second) =>\n        registry.SetWebSocketManager(manager, first);", StringComparison.Ordinal)
            .Replace("other) =>\n        registry.SetWebSocketManager(manager);", "other) =>\n        registry.SetWebSocketManager(manager, other);", StringComparison.Ordinal), fixedText[0]);
        Assert.NotEqual(source[0], fixedText[0]);
        CompilerWarnings.AssertNoNew(source, fixedText, OutputKind.DynamicallyLinkedLibrary);
    }

    [Fact]
    public async Task Dotnet_format_fixes_every_site_whichever_comes_first()
    {
        string[] source =
        [
            """
            using AgentBridge;

            class Wiring
            {
                void A(AgentRegistry registry, WebSocketConnectionManager manager, UserExecutionContext alpha) => registry.SetWebSocketManager(manager);

                void B(AgentRegistry registry, WebSocketConnectionManager manager, UserExecutionContext beta) => registry.SetWebSocketManager(manager);
            }
            """,
        ];

        foreach (var pick in new Func<IReadOnlyList<Microsoft.CodeAnalysis.Diagnostic>, Microsoft.CodeAnalysis.Diagnostic>[] { list => list[0], list => list[^1] })
        {
            var fixedText = await DotnetFormat.FixAllAsync(new AgentBridgeAnalyzer(), new MissingUserContextCodeFix(), [source], pick);

            Assert.Contains("registry.SetWebSocketManager(manager, alpha);", fixedText[0], StringComparison.Ordinal);
            Assert.Contains("registry.SetWebSocketManager(manager, beta);", fixedText[0], StringComparison.Ordinal);
        }
    }
}
