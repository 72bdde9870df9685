using Microsoft.CodeAnalysis;
using Verify = AgentBridge.Analyzers.Tests.Verifiers.AgentBridgeVerifier<AgentBridge.Analyzers.Tests.Verifiers.Rule.AGB0003>;

namespace AgentBridge.Analyzers.Tests.Rules;

public class AGB0003MissingUserContextAnalyzerTests
{
    [Theory]
    [InlineData("new AgentWebSocketBridge(manager)")]
    [InlineData("new AgentWebSocketBridge(manager, null)")]
    [InlineData("new AgentWebSocketBridge(manager, null!)")]
    [InlineData("new AgentWebSocketBridge(manager, default)")]
    [InlineData("new AgentWebSocketBridge(manager, default(UserExecutionContext))")]
    [InlineData("new AgentWebSocketBridge(manager, (UserExecutionContext?)null)")]
    [InlineData("new AgentWebSocketBridge(userContext: null, manager: manager)")]
    [InlineData("new AgentWebSocketBridge(manager: manager)")]
    public Task Constructions_without_a_context_are_reported(string creation) =>
        Verify.VerifyAnalyzerAsync($$"""
            using AgentBridge;

            class Agent
            {
                object Make(WebSocketConnectionManager manager) => {|AGB0003:{{creation}}|};
            }
            """);

    [Fact]
    public Task Target_typed_construction_without_a_context_is_reported() =>
        Verify.VerifyAnalyzerAsync("""
            using AgentBridge;

            class Agent
            {
                AgentWebSocketBridge Make(WebSocketConnectionManager manager) => {|AGB0003:new(manager)|};
            }
            """);

    [Theory]
    [InlineData("factory.Create(null!)")]
    [InlineData("factory.Create(default!)")]
    [InlineData("concrete.Create(null!)")]
    public Task Factory_create_with_null_is_reported(string call) =>
        Verify.VerifyAnalyzerAsync($$"""
            using AgentBridge;

            class Agent
            {
                object Make(IAgentWebSocketBridgeFactory factory, AgentWebSocketBridgeFactory concrete) => {|AGB0003:{{call}}|};
            }
            """);

    [Fact]
    public Task Calls_written_through_a_conditional_access_are_reported() =>
        Verify.VerifyAnalyzerAsync("""
            using AgentBridge;

            class Agent
            {
                object? Make(IAgentWebSocketBridgeFactory? factory) => factory?{|AGB0003:.Create(null!)|};

                void Wire(AgentRegistry? registry, WebSocketConnectionManager manager) => registry?{|AGB0003:.SetWebSocketManager(manager)|};
            }
            """);

    [Theory]
    [InlineData("registry.SetWebSocketManager(manager)")]
    [InlineData("registry.SetWebSocketManager(manager, null)")]
    [InlineData("registry.SetWebSocketManagerAsync(manager)")]
    [InlineData("session.SetWebSocketManagerAsync(manager, userContext: default)")]
    [InlineData("session.SetWebSocketManager(manager)")]
    public Task Wiring_a_session_without_a_context_is_reported(string call) =>
        Verify.VerifyAnalyzerAsync($$"""
            using AgentBridge;

            class Agent
            {
                void Wire(AgentRegistry registry, UserAgentSession session, WebSocketConnectionManager manager)
                {
                    _ = {|AGB0003:{{call}}|};
                }
            }
            """.Replace("_ = {|AGB0003:registry.SetWebSocketManager(", "{|AGB0003:registry.SetWebSocketManager(").Replace("_ = {|AGB0003:session.SetWebSocketManager(", "{|AGB0003:session.SetWebSocketManager("));

    [Fact]
    public Task Calls_with_a_context_are_not_reported() =>
        Verify.VerifyAnalyzerAsync("""
            using System.Threading.Tasks;
            using AgentBridge;

            class Agent
            {
                async Task Wire(AgentRegistry registry, IAgentWebSocketBridgeFactory factory, WebSocketConnectionManager manager, UserExecutionContext context, UserExecutionContext? maybe)
                {
                    await registry.SetWebSocketManagerAsync(manager, context);
                    registry.SetWebSocketManager(manager, maybe);
                    _ = factory.Create(context);
                    _ = new AgentWebSocketBridge(manager, context);
                    _ = new AgentWebSocketBridge(manager, maybe!);
                }
            }
            """);

    [Fact]
    public Task Lambdas_local_functions_and_top_level_statements_are_analyzed() =>
        Verify.VerifyAnalyzerAsync("""
            using System;
            using AgentBridge;

            var manager = new WebSocketConnectionManager();
            Func<Func<AgentWebSocketBridge>> make = () => () => {|AGB0003:new AgentWebSocketBridge(manager)|};
            AgentWebSocketBridge Local() => {|AGB0003:new(manager, null)|};
            """, OutputKind.ConsoleApplication);

    [Fact]
    public Task A_users_own_bridge_type_in_another_namespace_is_not_reported() =>
        Verify.VerifyAnalyzerAsync("""
            namespace MyApp
            {
                class AgentWebSocketBridge
                {
                    public AgentWebSocketBridge(object manager, object? context = null) { }
                }

                class Agent
                {
                    object Make() => new AgentWebSocketBridge(new object());
                }
            }
            """);

    [Fact]
    public Task A_derived_bridge_calling_the_base_constructor_is_not_reported_but_its_own_construction_is_unchecked() =>
        Verify.VerifyAnalyzerAsync("""
            using AgentBridge;

            class MyBridge : AgentWebSocketBridge
            {
                public MyBridge(WebSocketConnectionManager m) : base(m) { }
            }

            class Agent
            {
                object Make(WebSocketConnectionManager m) => new MyBridge(m);
            }
            """);

    [Fact]
    public Task Generated_code_is_not_analyzed() =>
        Verify.VerifyAnalyzerAsync("""
            // <auto-generated/>
            using AgentBridge;

            class Agent
            {
                object Make(WebSocketConnectionManager manager) => new AgentWebSocketBridge(manager);
            }
            """);

    [Fact]
    public Task Await_using_a_run_of_a_bridge_without_context_is_reported() =>
        Verify.VerifyAnalyzerAsync("""
            using System.Threading.Tasks;
            using AgentBridge;

            class Agent
            {
                async Task Run(WebSocketConnectionManager m)
                {
                    await using var run = await {|AGB0003:new AgentWebSocketBridge(m)|}.BeginRunAsync("agent");
                }
            }
            """);
}
