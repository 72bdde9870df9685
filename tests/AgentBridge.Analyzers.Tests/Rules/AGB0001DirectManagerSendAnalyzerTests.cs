using AgentBridge.Analyzers.Rules;
using Microsoft.CodeAnalysis;
using Verify = AgentBridge.Analyzers.Tests.Verifiers.AgentBridgeVerifier<AgentBridge.Analyzers.Tests.Verifiers.Rule.AGB0001>;

namespace AgentBridge.Analyzers.Tests.Rules;

public class AGB0001DirectManagerSendAnalyzerTests
{
    [Theory]
    [InlineData("manager.SendToUserAsync(\"user-1\", evt)")]
    [InlineData("manager.SendToConnectionAsync(\"connection-1\", evt, CancellationToken.None)")]
    [InlineData("manager.BroadcastAsync(evt)")]
    public Task Each_send_member_is_reported(string call) =>
        Verify.VerifyAnalyzerAsync($$"""
            using System.Threading;
            using System.Threading.Tasks;
            using AgentBridge;

            class Agent
            {
                Task Run(WebSocketConnectionManager manager, AgentEvent evt) => {|AGB0001:{{call}}|};
            }
            """);

    [Fact]
    public Task Reading_the_connection_count_is_not_reported() =>
        Verify.VerifyAnalyzerAsync("""
            using AgentBridge;

            class Agent
            {
                int Count(WebSocketConnectionManager manager) => manager.GetConnectionCount("user-1");
            }
            """);

    [Fact]
    public Task A_send_written_through_a_conditional_access_is_reported() =>
        Verify.VerifyAnalyzerAsync("""
            using System.Threading.Tasks;
            using AgentBridge;

            class Agent
            {
                Task? Run(WebSocketConnectionManager? manager, AgentEvent evt) => manager?{|AGB0001:.SendToUserAsync("user-1", evt)|};
            }
            """);

    [Fact]
    public Task Emitting_through_a_bridge_is_not_reported() =>
        Verify.VerifyAnalyzerAsync("""
            using System.Threading.Tasks;
            using AgentBridge;

            class Agent
            {
                async Task Run(IAgentWebSocketBridgeFactory factory, UserExecutionContext context, AgentEvent evt)
                {
                    await factory.Create(context).EmitAsync(evt);
                }
            }
            """);

    [Fact]
    public Task Sends_in_nested_lambdas_and_local_functions_are_reported() =>
        Verify.VerifyAnalyzerAsync("""
            using System;
            using System.Threading.Tasks;
            using AgentBridge;

            class Agent
            {
                void Run(WebSocketConnectionManager manager, AgentEvent evt)
                {
                    Func<Func<Task>> outer = () => () => {|AGB0001:manager.BroadcastAsync(evt)|};
                    Task Local() => {|AGB0001:manager.SendToUserAsync("user-1", evt)|};
                    static Task StaticLocal(WebSocketConnectionManager m, AgentEvent e) => {|AGB0001:m.SendToConnectionAsync("c", e)|};
                }
            }
            """);

    [Fact]
    public Task Top_level_statements_are_analyzed() =>
        Verify.VerifyAnalyzerAsync("""
            using AgentBridge;

            var manager = new WebSocketConnectionManager();
            await {|AGB0001:manager.SendToUserAsync("user-1", new AgentEvent(AgentEventTypes.AgentStarted))|};
            """, OutputKind.ConsoleApplication);

    [Fact]
    public Task Conditional_access_is_reported() =>
        Verify.VerifyAnalyzerAsync("""
            using System.Threading.Tasks;
            using AgentBridge;

            class Agent
            {
                WebSocketConnectionManager? _manager;

                Task? Run(AgentEvent evt) => _manager?{|AGB0001:.SendToUserAsync("user-1", evt)|};
            }
            """);

    [Fact]
    public Task Named_and_reordered_arguments_are_reported() =>
        Verify.VerifyAnalyzerAsync("""
            using System.Threading;
            using System.Threading.Tasks;
            using AgentBridge;

            class Agent
            {
                Task Run(WebSocketConnectionManager manager, AgentEvent evt, CancellationToken ct) =>
                    {|AGB0001:manager.SendToUserAsync(cancellationToken: ct, agentEvent: evt, userId: "user-1")|};
            }
            """);

    [Fact]
    public Task Calls_through_a_derived_manager_and_in_generic_types_are_reported() =>
        Verify.VerifyAnalyzerAsync("""
            using System.Threading.Tasks;
            using AgentBridge;

            class MyManager : WebSocketConnectionManager
            {
                public Task Shout(AgentEvent evt) => {|AGB0001:BroadcastAsync(evt)|};
            }

            class Agent<TManager> where TManager : WebSocketConnectionManager
            {
                Task Run(TManager manager, AgentEvent evt) => {|AGB0001:manager.BroadcastAsync(evt)|};
            }
            """);

    [Fact]
    public Task A_users_own_manager_in_another_namespace_is_not_reported() =>
        Verify.VerifyAnalyzerAsync("""
            using System.Threading.Tasks;

            namespace MyApp
            {
                class WebSocketConnectionManager
                {
                    public Task SendToUserAsync(string userId, object evt) => Task.CompletedTask;
                }

                class Agent
                {
                    Task Run(WebSocketConnectionManager manager) => manager.SendToUserAsync("user-1", new object());
                }
            }
            """);

    [Fact]
    public Task Generated_code_is_not_analyzed() =>
        Verify.VerifyAnalyzerAsync("""
            // <auto-generated/>
            using System.Threading.Tasks;
            using AgentBridge;

            class Agent
            {
                Task Run(WebSocketConnectionManager manager, AgentEvent evt) => manager.BroadcastAsync(evt);
            }
            """);

    [Fact]
    public Task Partial_class_sends_are_reported_in_each_part() =>
        Verify.VerifyAnalyzerAsync(new[]
        {
            """
            using System.Threading.Tasks;
            using AgentBridge;

            partial class Agent
            {
                WebSocketConnectionManager _manager = new();
                Task A(AgentEvent evt) => {|AGB0001:_manager.BroadcastAsync(evt)|};
            }
            """,
            """
            using System.Threading.Tasks;
            using AgentBridge;

            partial class Agent
            {
                Task B(AgentEvent evt) => {|AGB0001:_manager.SendToUserAsync("u", evt)|};
            }
            """,
        });

    [Fact]
    public Task The_runtime_itself_is_not_reported() =>
        Verify.VerifyAnalyzerAsync("""
            using System.Threading.Tasks;

            namespace AgentBridge
            {
                public class AgentEvent { }
                public class UserExecutionContext { }
                public class WebSocketConnectionManager
                {
                    public Task BroadcastAsync(AgentEvent evt) => Task.CompletedTask;
                }

                public class AgentWebSocketBridge
                {
                    private readonly WebSocketConnectionManager _manager = new();
                    public Task EmitAsync(AgentEvent evt) => _manager.BroadcastAsync(evt);
                }
            }
            """);

    [Fact]
    public Task A_team_send_listed_in_the_types_file_is_reported_but_not_its_other_overloads_nor_inside_the_emitter_or_the_hub() =>
        Verify.VerifyAnalyzerAsync("""
            using System.Threading.Tasks;

            namespace Contoso.Realtime
            {
                public class SocketHub
                {
                    public Task PushAsync(string userId, object payload) => Task.CompletedTask;
                    public Task PushAsync(string userId, object payload, int priority) => Task.CompletedTask;
                }

                class Agent
                {
                    async Task Run(SocketHub hub)
                    {
                        await {|AGB0001:hub.PushAsync("user-1", new object())|};
                        await hub.PushAsync("user-1", new object(), priority: 1);
                    }
                }

                // The emitter's own implementation, and the hub calling itself: the per-user path, not a bypass of it.
                public class Notifier(SocketHub hub, string userId)
                {
                    public Task NotifyAsync(string text) => hub.PushAsync(userId, text);
                }

                public class DerivedHub : SocketHub
                {
                    public Task PushTwiceAsync(string userId, object payload) => PushAsync(userId, payload);
                }
            }
            """, ("/0/AgentBridge.Types.txt", """
                send M:Contoso.Realtime.SocketHub.PushAsync(System.String,System.Object)
                emitter T:Contoso.Realtime.Notifier
                """));
}
