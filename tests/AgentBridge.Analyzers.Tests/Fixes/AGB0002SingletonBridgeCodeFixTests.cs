using AgentBridge.Analyzers.Rules;
using AgentBridge.Analyzers.Tests.Verifiers;
using AgentBridge.CodeFixes.Rules;
using Microsoft.CodeAnalysis;
using Verify = AgentBridge.Analyzers.Tests.Verifiers.AgentBridgeVerifier<AgentBridge.Analyzers.Tests.Verifiers.Rule.AGB0002, AgentBridge.CodeFixes.Rules.SingletonBridgeCodeFix>;

namespace AgentBridge.Analyzers.Tests.Fixes;

public class AGB0002SingletonBridgeCodeFixTests
{
    [Fact]
    public Task A_singleton_registration_becomes_AddAgentBridge() =>
        Verify.VerifyFixAsync("""
            using AgentBridge;
            using Microsoft.Extensions.DependencyInjection;

            static class Startup
            {
                public static void Configure(IServiceCollection services)
                {
                    // the bridge
                    {|AGB0002:services.AddSingleton<AgentWebSocketBridge>()|}; // trailing
                }
            }
            """, """
            using AgentBridge;
            using Microsoft.Extensions.DependencyInjection;

            static class Startup
            {
                public static void Configure(IServiceCollection services)
                {
                    // the bridge
                    services.AddAgentBridge(); // trailing
                }
            }
            """);

    [Fact]
    public Task Fix_all_keeps_one_AddAgentBridge_and_removes_the_other_registrations() =>
        Verify.VerifyFixAsync("""
            using AgentBridge;
            using Microsoft.Extensions.DependencyInjection;

            static class Startup
            {
                public static void Configure(IServiceCollection services, AgentWebSocketBridge bridge)
                {
                    services.AddSingleton<WebSocketConnectionManager>();
                    {|AGB0002:services.AddSingleton(typeof(AgentWebSocketBridge))|};
                    {|AGB0002:services.AddSingleton(bridge)|};
                    {|AGB0002:services.AddSingleton<AgentWebSocketBridge>(sp => new AgentWebSocketBridge(sp.GetRequiredService<WebSocketConnectionManager>()))|};
                }
            }
            """, """
            using AgentBridge;
            using Microsoft.Extensions.DependencyInjection;

            static class Startup
            {
                public static void Configure(IServiceCollection services, AgentWebSocketBridge bridge)
                {
                    services.AddSingleton<WebSocketConnectionManager>();
                    services.AddAgentBridge();
                }
            }
            """);

    [Fact]
    public Task A_registration_is_removed_where_AddAgentBridge_is_already_called_and_chains_keep_going() =>
        Verify.VerifyFixAsync("""
            using AgentBridge;
            using Microsoft.Extensions.DependencyInjection;

            class Startup
            {
                void A(IServiceCollection services)
                {
                    {|AGB0002:services.AddSingleton<AgentWebSocketBridge>()|};
                    services.AddAgentBridge(o => { });
                }

                IServiceCollection B(IServiceCollection services) =>
                    {|AGB0002:services.AddAgentBridge().Services.AddSingleton<AgentWebSocketBridge>()|}.AddScoped<object>();

                IServiceCollection C(IServiceCollection services) =>
                    {|AGB0002:services.AddSingleton<AgentWebSocketBridge>()|}.AddScoped<object>();
            }
            """, """
            using AgentBridge;
            using Microsoft.Extensions.DependencyInjection;

            class Startup
            {
                void A(IServiceCollection services)
                {
                    services.AddAgentBridge(o => { });
                }

                IServiceCollection B(IServiceCollection services) =>
                    services.AddAgentBridge().Services.AddScoped<object>();

                IServiceCollection C(IServiceCollection services) =>
                    services.AddAgentBridge().Services.AddScoped<object>();
            }
            """);

    [Fact]
    public Task TryAddSingleton_in_top_level_statements_gets_the_using_it_needs() =>
        Verify.VerifyFixAsync("""
            using AgentBridge;
            using Microsoft.Extensions.DependencyInjection.Extensions;

            var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection();
            {|AGB0002:services.TryAddSingleton<AgentWebSocketBridge>()|};
            """, """
            using AgentBridge;
            using Microsoft.Extensions.DependencyInjection;
            using Microsoft.Extensions.DependencyInjection.Extensions;

            var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection();
            services.AddAgentBridge();
            """, OutputKind.ConsoleApplication);

    [Fact]
    public Task Static_members_and_keyed_registrations_get_no_fix() =>
        Verify.VerifyNoFixAsync("""
            using AgentBridge;
            using Microsoft.Extensions.DependencyInjection;

            static class Startup
            {
                static AgentWebSocketBridge? {|AGB0002:_shared|};

                public static void Configure(IServiceCollection services) =>
                    {|AGB0002:services.AddKeyedSingleton<AgentWebSocketBridge>("k")|};
            }
            """);

    [Fact]
    public async Task Dotnet_format_fixes_the_registrations_even_when_the_first_AGB0002_is_a_static_bridge()
    {
        string[] source =
        [
            """
            using AgentBridge;
            using Microsoft.Extensions.DependencyInjection;

            static class Startup
            {
                static AgentWebSocketBridge? _shared;

                public static void Configure(IServiceCollection services) => services.AddSingleton<AgentWebSocketBridge>();
            }
            """,
        ];

        var fixedText = await DotnetFormat.FixAllAsync(new AgentBridgeAnalyzer(), new SingletonBridgeCodeFix(), [source]);

        Assert.Equal(source[0].Replace("services.AddSingleton<AgentWebSocketBridge>()", "services.AddAgentBridge()", StringComparison.Ordinal), fixedText[0]);
        CompilerWarnings.AssertNoNew(source, fixedText, OutputKind.DynamicallyLinkedLibrary);
    }

    private const string TeamEmitterRegistration = """
        using Microsoft.Extensions.DependencyInjection;

        namespace Contoso
        {
            public class Notifier { public System.Threading.Tasks.Task NotifyAsync(string text) => System.Threading.Tasks.Task.CompletedTask; }

            static class Startup
            {
                public static void Configure(IServiceCollection services) => {|AGB0002:services.AddSingleton<Notifier>()|};
            }
        }
        """;

    [Fact]
    public Task A_team_emitter_registered_as_a_singleton_gets_no_fix() =>
        new AgentBridgeVerifier<Rule.AGB0002, SingletonBridgeCodeFix>.Test
        {
            TestCode = TeamEmitterRegistration,
            FixedCode = TeamEmitterRegistration,
            TestState = { AdditionalFiles = { ("/0/AgentBridge.Types.txt", "emitter T:Contoso.Notifier") } },
            FixedState = { AdditionalFiles = { ("/0/AgentBridge.Types.txt", "emitter T:Contoso.Notifier") } },
        }.RunAsync();

    [Fact]
    public Task Fix_all_in_solution_scope_fixes_both_projects() =>
        Verify.VerifyFixInTwoProjectsAsync(
            """
            using AgentBridge;
            using Microsoft.Extensions.DependencyInjection;

            public static class FirstModule
            {
                public static void Add(IServiceCollection services) => {|AGB0002:services.AddSingleton<AgentWebSocketBridge>()|};
            }
            """,
            """
            using AgentBridge;
            using Microsoft.Extensions.DependencyInjection;

            public static class FirstModule
            {
                public static void Add(IServiceCollection services) => services.AddAgentBridge();
            }
            """,
            """
            using AgentBridge;
            using Microsoft.Extensions.DependencyInjection;

            public static class SecondModule
            {
                public static IServiceCollection Add(IServiceCollection services) => {|AGB0002:services.AddSingleton(typeof(AgentWebSocketBridge))|}.AddScoped<object>();
            }
            """,
            """
            using AgentBridge;
            using Microsoft.Extensions.DependencyInjection;

            public static class SecondModule
            {
                public static IServiceCollection Add(IServiceCollection services) => services.AddAgentBridge().Services.AddScoped<object>();
            }
            """);
}
