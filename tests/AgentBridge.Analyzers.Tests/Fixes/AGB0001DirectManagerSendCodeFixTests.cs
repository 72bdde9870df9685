using AgentBridge.Analyzers.Rules;
using AgentBridge.Analyzers.Tests.Verifiers;
using AgentBridge.CodeFixes.Rules;
using Microsoft.CodeAnalysis;
using Verify = AgentBridge.Analyzers.Tests.Verifiers.AgentBridgeVerifier<AgentBridge.Analyzers.Tests.Verifiers.Rule.AGB0001, AgentBridge.CodeFixes.Rules.DirectManagerSendCodeFix>;

namespace AgentBridge.Analyzers.Tests.Fixes;

public class AGB0001DirectManagerSendCodeFixTests
{
    [Fact]
    public Task A_send_to_a_contexts_user_goes_through_the_factory_in_scope() =>
        Verify.VerifyFixAsync("""
            using System.Threading;
            using System.Threading.Tasks;
            using AgentBridge;

            class Agent
            {
                async Task Run(IAgentWebSocketBridgeFactory factory, WebSocketConnectionManager manager, UserExecutionContext context, AgentEvent evt, CancellationToken ct)
                {
                    await /* send */ {|AGB0001:manager.SendToUserAsync(context.UserId, evt, ct)|}.ConfigureAwait(false); // trailing
                }
            }
            """, """
            using System.Threading;
            using System.Threading.Tasks;
            using AgentBridge;

            class Agent
            {
                async Task Run(IAgentWebSocketBridgeFactory factory, WebSocketConnectionManager manager, UserExecutionContext context, AgentEvent evt, CancellationToken ct)
                {
                    await /* send */ factory.Create(context).EmitAsync(evt, ct).ConfigureAwait(false); // trailing
                }
            }
            """);

    [Fact]
    public Task Named_reordered_arguments_and_conditional_access_are_rewritten() =>
        Verify.VerifyFixAsync("""
            using System.Threading;
            using System.Threading.Tasks;
            using AgentBridge;

            class Agent
            {
                private readonly IAgentWebSocketBridgeFactory _factory;
                private readonly WebSocketConnectionManager? _manager;

                public Agent(IAgentWebSocketBridgeFactory factory, WebSocketConnectionManager? manager) { _factory = factory; _manager = manager; }

                Task A(UserExecutionContext context, AgentEvent evt, CancellationToken ct) =>
                    {|AGB0001:_manager!.SendToUserAsync(cancellationToken: ct, agentEvent: evt, userId: context.UserId)|};

                Task? B(UserExecutionContext context, AgentEvent evt) => _manager?{|AGB0001:.SendToUserAsync(context.UserId, evt)|};
            }
            """, """
            using System.Threading;
            using System.Threading.Tasks;
            using AgentBridge;

            class Agent
            {
                private readonly IAgentWebSocketBridgeFactory _factory;
                private readonly WebSocketConnectionManager? _manager;

                public Agent(IAgentWebSocketBridgeFactory factory, WebSocketConnectionManager? manager) { _factory = factory; _manager = manager; }

                Task A(UserExecutionContext context, AgentEvent evt, CancellationToken ct) =>
                    _factory.Create(context).EmitAsync(evt, ct);

                Task? B(UserExecutionContext context, AgentEvent evt) => _factory.Create(context).EmitAsync(evt);
            }
            """);

    [Fact]
    public Task A_bridges_own_user_context_uses_that_bridge() =>
        Verify.VerifyFixAsync("""
            using System.Threading.Tasks;
            using AgentBridge;

            class Agent
            {
                Task Run(AgentWebSocketBridge bridge, WebSocketConnectionManager manager, AgentEvent evt) =>
                    {|AGB0001:manager.SendToUserAsync(bridge.UserContext!.UserId, evt)|};
            }
            """, """
            using System.Threading.Tasks;
            using AgentBridge;

            class Agent
            {
                Task Run(AgentWebSocketBridge bridge, WebSocketConnectionManager manager, AgentEvent evt) =>
                    bridge.EmitAsync(evt);
            }
            """);

    [Fact]
    public Task Without_a_factory_one_is_injected_once_for_all_sites_in_lambdas_and_local_functions() =>
        Verify.VerifyFixAsync("""
            using System;
            using System.Threading.Tasks;
            using AgentBridge;

            class Agent
            {
                private readonly WebSocketConnectionManager _manager = new();

                Func<Task> A(UserExecutionContext context, AgentEvent evt) => () => {|AGB0001:_manager.SendToUserAsync(context.UserId, evt)|};

                Task B(UserExecutionContext context, AgentEvent evt)
                {
                    return Local();
                    Task Local() => {|AGB0001:_manager.SendToUserAsync(context.UserId, evt)|};
                }
            }
            """, """
            using System;
            using System.Threading.Tasks;
            using AgentBridge;

            class Agent
            {
                private readonly WebSocketConnectionManager _manager = new();
                private readonly IAgentWebSocketBridgeFactory _bridgeFactory;

                public Agent(IAgentWebSocketBridgeFactory bridgeFactory)
                {
                    _bridgeFactory = bridgeFactory;
                }

                Func<Task> A(UserExecutionContext context, AgentEvent evt) => () => _bridgeFactory.Create(context).EmitAsync(evt);

                Task B(UserExecutionContext context, AgentEvent evt)
                {
                    return Local();
                    Task Local() => _bridgeFactory.Create(context).EmitAsync(evt);
                }
            }
            """);

    [Fact]
    public Task No_fix_when_the_user_id_does_not_come_from_a_context() =>
        Verify.VerifyNoFixAsync("""
            using System.Threading.Tasks;
            using AgentBridge;

            class Agent
            {
                Task Run(IAgentWebSocketBridgeFactory factory, WebSocketConnectionManager manager, string userId, AgentEvent evt) =>
                    {|AGB0001:manager.SendToUserAsync(userId, evt)|};
            }
            """);

    [Fact]
    public Task No_fix_for_connection_sends_and_broadcasts() =>
        Verify.VerifyNoFixAsync("""
            using System.Threading.Tasks;
            using AgentBridge;

            class Agent
            {
                Task A(IAgentWebSocketBridgeFactory factory, WebSocketConnectionManager manager, UserExecutionContext context, AgentEvent evt) =>
                    {|AGB0001:manager.SendToConnectionAsync(context.UserId, evt)|};

                Task B(WebSocketConnectionManager manager, AgentEvent evt) => {|AGB0001:manager.BroadcastAsync(evt)|};
            }
            """);

    [Fact]
    public Task No_fix_in_top_level_statements_without_a_factory() =>
        Verify.VerifyNoFixAsync("""
            using AgentBridge;

            var manager = new WebSocketConnectionManager();
            var context = UserExecutionContext.Create("user-1", "thread-1");
            await {|AGB0001:manager.SendToUserAsync(context.UserId, new AgentEvent(AgentEventTypes.AgentStarted))|};
            """, OutputKind.ConsoleApplication);

    [Fact]
    public Task A_users_own_context_type_with_a_UserId_gets_no_fix() =>
        Verify.VerifyNoFixAsync("""
            using System.Threading.Tasks;
            using AgentBridge;

            class MyContext { public string UserId { get; } = "u"; }

            class Agent
            {
                Task Run(IAgentWebSocketBridgeFactory factory, WebSocketConnectionManager manager, MyContext context, AgentEvent evt) =>
                    {|AGB0001:manager.SendToUserAsync(context.UserId, evt)|};
            }
            """);

    [Fact]
    public Task Fix_all_injects_once_into_each_class_of_each_document() =>
        Verify.VerifyFixAsync(
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

    [Fact]
    public Task Fix_all_in_solution_scope_fixes_both_projects() =>
        Verify.VerifyFixInTwoProjectsAsync(
            """
            using System.Threading.Tasks;
            using AgentBridge;

            public class First
            {
                public Task Send(IAgentWebSocketBridgeFactory factory, WebSocketConnectionManager manager, UserExecutionContext context, AgentEvent evt) =>
                    {|AGB0001:manager.SendToUserAsync(context.UserId, evt)|};
            }
            """,
            """
            using System.Threading.Tasks;
            using AgentBridge;

            public class First
            {
                public Task Send(IAgentWebSocketBridgeFactory factory, WebSocketConnectionManager manager, UserExecutionContext context, AgentEvent evt) =>
                    factory.Create(context).EmitAsync(evt);
            }
            """,
            """
            using System.Threading.Tasks;
            using AgentBridge;

            public class Second
            {
                public Task Send(AgentWebSocketBridge bridge, WebSocketConnectionManager manager, AgentEvent evt) =>
                    {|AGB0001:manager.SendToUserAsync(bridge.UserContext!.UserId, evt)|};
            }
            """,
            """
            using System.Threading.Tasks;
            using AgentBridge;

            public class Second
            {
                public Task Send(AgentWebSocketBridge bridge, WebSocketConnectionManager manager, AgentEvent evt) =>
                    bridge.EmitAsync(evt);
            }
            """);

    [Fact]
    public async Task Dotnet_format_fixes_every_send_when_the_first_is_a_broadcast_without_a_fix()
    {
        string[] source =
        [
            """
            using System.Threading.Tasks;
            using AgentBridge;

            class Agent
            {
                Task Maintenance(WebSocketConnectionManager manager) => manager.BroadcastAsync(new AgentEvent("maintenance"));

                Task A(IAgentWebSocketBridgeFactory factory, WebSocketConnectionManager manager, UserExecutionContext context, AgentEvent evt) =>
                    manager.SendToUserAsync(context.UserId, evt);

                Task B(IAgentWebSocketBridgeFactory bridges, WebSocketConnectionManager manager, UserExecutionContext userContext, AgentEvent evt) =>
                    manager.SendToUserAsync(userContext.UserId, evt);
            }
            """,
        ];

        var fixedText = await DotnetFormat.FixAllAsync(new AgentBridgeAnalyzer(), new DirectManagerSendCodeFix(), [source]);

        Assert.Equal(source[0]
            .Replace("manager.SendToUserAsync(context.UserId, evt)", "factory.Create(context).EmitAsync(evt)", StringComparison.Ordinal)
            .Replace("manager.SendToUserAsync(userContext.UserId, evt)", "bridges.Create(userContext).EmitAsync(evt)", StringComparison.Ordinal), fixedText[0]);
        CompilerWarnings.AssertNoNew(source, fixedText, OutputKind.DynamicallyLinkedLibrary);
    }
}
