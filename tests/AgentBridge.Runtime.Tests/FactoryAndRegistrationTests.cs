using Microsoft.Extensions.DependencyInjection;

namespace AgentBridge.Runtime.Tests;

public class FactoryAndRegistrationTests
{
    [Fact]
    public void Factory_Create_null_throws_ArgumentNullException()
    {
        using var manager = new WebSocketConnectionManager();
        var factory = new AgentWebSocketBridgeFactory(manager);
        Assert.Throws<ArgumentNullException>("userContext", () => factory.Create(null!));
    }

    [Fact]
    public void Factory_gives_each_context_its_own_bridge()
    {
        using var manager = new WebSocketConnectionManager();
        var factory = new AgentWebSocketBridgeFactory(manager);
        var alice = UserExecutionContext.Create("alice", "t");
        var bob = UserExecutionContext.Create("bob", "t");
        Assert.Same(alice, factory.Create(alice).UserContext);
        Assert.Same(bob, factory.Create(bob).UserContext);
        Assert.NotSame(factory.Create(alice), factory.Create(alice));
    }

    [Fact]
    public void AddAgentBridge_registers_the_three_services_as_singletons()
    {
        var services = new ServiceCollection().AddLogging().AddAgentBridge().Services;
        using var provider = services.BuildServiceProvider();
        Assert.Same(provider.GetRequiredService<WebSocketConnectionManager>(), provider.GetRequiredService<WebSocketConnectionManager>());
        Assert.Same(provider.GetRequiredService<IAgentWebSocketBridgeFactory>(), provider.GetRequiredService<IAgentWebSocketBridgeFactory>());
        Assert.Same(provider.GetRequiredService<AgentRegistry>(), provider.GetRequiredService<AgentRegistry>());
        foreach (var type in new[] { typeof(WebSocketConnectionManager), typeof(IAgentWebSocketBridgeFactory), typeof(AgentRegistry) })
        {
            Assert.Equal(ServiceLifetime.Singleton, Assert.Single(services, d => d.ServiceType == type).Lifetime);
        }
    }

    [Fact]
    public void AddAgentBridge_twice_registers_once_and_applies_both_configurations()
    {
        var services = new ServiceCollection()
            .AddAgentBridge(o => o.ReplayWindowSize = 10).Services
            .AddAgentBridge(o => o.MaxClientMessageSize = 512).Services;
        Assert.Single(services, d => d.ServiceType == typeof(WebSocketConnectionManager));
        Assert.Single(services, d => d.ServiceType == typeof(IAgentWebSocketBridgeFactory));
        Assert.Single(services, d => d.ServiceType == typeof(AgentRegistry));
        using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<WebSocketConnectionManager>().Options;
        Assert.Equal(10, options.ReplayWindowSize);
        Assert.Equal(512, options.MaxClientMessageSize);
    }

    [Fact]
    public void Invalid_options_fail_with_a_message_naming_the_option()
    {
        var services = new ServiceCollection().AddAgentBridge(o => o.MaxQueuedEventsPerConnection = 0).Services;
        using var provider = services.BuildServiceProvider();
        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<WebSocketConnectionManager>());
        Assert.Contains(nameof(AgentBridgeOptions.MaxQueuedEventsPerConnection), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AgentEvent_requires_a_type()
    {
        Assert.Throws<ArgumentException>("type", () => new AgentEvent(" "));
        var e = new AgentEvent(AgentEventTypes.AgentThinking, new { thought = "x" });
        Assert.Equal("agent_thinking", e.Type);
        Assert.NotNull(e.Data);
    }

    [Fact]
    public void The_five_event_type_names_are_those_of_the_protocol()
    {
        Assert.Equal(
            ["agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed"],
            [AgentEventTypes.AgentStarted, AgentEventTypes.AgentThinking, AgentEventTypes.ToolExecuting, AgentEventTypes.ToolCompleted, AgentEventTypes.AgentCompleted]);
    }
}
