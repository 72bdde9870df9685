using Verify = AgentBridge.Analyzers.Tests.Verifiers.AgentBridgeVerifier<AgentBridge.Analyzers.Tests.Verifiers.Rule.AGB0002>;

namespace AgentBridge.Analyzers.Tests.Rules;

public class AGB0002SingletonBridgeAnalyzerTests
{
    [Fact]
    public Task Static_fields_and_properties_holding_a_bridge_are_reported_at_the_declarator() =>
        Verify.VerifyAnalyzerAsync("""
            using System;
            using AgentBridge;

            class Holder
            {
                static AgentWebSocketBridge? {|AGB0002:_bridge|}, {|AGB0002:_other|};
                static readonly Lazy<AgentWebSocketBridge> {|AGB0002:_lazy|} = new(() => null!);
                public static AgentWebSocketBridge? {|AGB0002:Shared|} { get; set; }
                static AgentWebSocketBridge {|AGB0002:Computed|} => null!;
            }
            """);

    [Fact]
    public Task Instance_members_locals_and_other_lazies_are_not_reported() =>
        Verify.VerifyAnalyzerAsync("""
            using System;
            using AgentBridge;

            class Holder
            {
                AgentWebSocketBridge? _bridge;
                static Lazy<string> _lazy = new(() => "");
                static IAgentWebSocketBridgeFactory? _factory;
                static WebSocketConnectionManager? _manager;
                AgentWebSocketBridge? Bridge { get; set; }

                void M()
                {
                    AgentWebSocketBridge? local = _bridge;
                }
            }
            """);

    [Fact]
    public Task A_static_field_of_a_derived_bridge_type_is_reported() =>
        Verify.VerifyAnalyzerAsync("""
            using AgentBridge;

            class MyBridge : AgentWebSocketBridge
            {
                public MyBridge(WebSocketConnectionManager m, UserExecutionContext c) : base(m, c) { }
            }

            static class Holder
            {
                internal static MyBridge? {|AGB0002:Instance|};
            }
            """);

    [Fact]
    public Task Every_singleton_registration_form_is_reported() =>
        Verify.VerifyAnalyzerAsync("""
            using System;
            using AgentBridge;
            using Microsoft.Extensions.DependencyInjection;
            using Microsoft.Extensions.DependencyInjection.Extensions;

            class Startup
            {
                void Configure(IServiceCollection services, AgentWebSocketBridge bridge)
                {
                    {|AGB0002:services.AddSingleton<AgentWebSocketBridge>()|};
                    {|AGB0002:services.AddSingleton(typeof(AgentWebSocketBridge))|};
                    {|AGB0002:services.AddSingleton(typeof(AgentWebSocketBridge), typeof(AgentWebSocketBridge))|};
                    {|AGB0002:services.AddSingleton(bridge)|};
                    {|AGB0002:services.AddSingleton(typeof(AgentWebSocketBridge), bridge)|};
                    {|AGB0002:services.AddSingleton<AgentWebSocketBridge>(sp => new AgentWebSocketBridge(sp.GetRequiredService<WebSocketConnectionManager>()))|};
                    {|AGB0002:services.AddSingleton<object, AgentWebSocketBridge>()|};
                    {|AGB0002:services.TryAddSingleton<AgentWebSocketBridge>()|};
                    {|AGB0002:services.TryAddSingleton(typeof(AgentWebSocketBridge))|};
                    {|AGB0002:services.TryAddSingleton(bridge)|};
                    {|AGB0002:services.AddKeyedSingleton<AgentWebSocketBridge>("key")|};
                    {|AGB0002:ServiceCollectionServiceExtensions.AddSingleton<AgentWebSocketBridge>(services)|};
                }
            }
            """);

    [Fact]
    public Task Scoped_and_transient_registrations_and_other_singletons_are_not_reported() =>
        Verify.VerifyAnalyzerAsync("""
            using AgentBridge;
            using Microsoft.Extensions.DependencyInjection;

            class Startup
            {
                void Configure(IServiceCollection services)
                {
                    services.AddScoped<AgentWebSocketBridge>();
                    services.AddTransient(typeof(AgentWebSocketBridge));
                    services.AddSingleton<WebSocketConnectionManager>();
                    services.AddSingleton(typeof(IAgentWebSocketBridgeFactory), typeof(AgentWebSocketBridgeFactory));
                    services.AddAgentBridge();
                }
            }
            """);

    [Fact]
    public Task A_users_own_bridge_type_in_another_namespace_is_not_reported() =>
        Verify.VerifyAnalyzerAsync("""
            using Microsoft.Extensions.DependencyInjection;

            namespace MyApp
            {
                class AgentWebSocketBridge { }

                static class Holder
                {
                    static AgentWebSocketBridge? _bridge;
                    static void Configure(IServiceCollection services) => services.AddSingleton<AgentWebSocketBridge>();
                }
            }
            """);

    [Fact]
    public Task Registrations_in_lambdas_and_top_level_statements_are_reported() =>
        Verify.VerifyAnalyzerAsync("""
            using System;
            using AgentBridge;
            using Microsoft.Extensions.DependencyInjection;

            var services = new ServiceCollection();
            Action configure = () => {|AGB0002:services.AddSingleton<AgentWebSocketBridge>()|};
            {|AGB0002:services.AddSingleton(typeof(AgentWebSocketBridge))|};
            """, Microsoft.CodeAnalysis.OutputKind.ConsoleApplication);

    [Fact]
    public Task Generated_code_is_not_analyzed() =>
        Verify.VerifyAnalyzerAsync("""
            // <auto-generated/>
            using AgentBridge;
            using Microsoft.Extensions.DependencyInjection;

            static class Holder
            {
                static AgentWebSocketBridge? _bridge;
                static void Configure(IServiceCollection services) => services.AddSingleton<AgentWebSocketBridge>();
            }
            """);

    [Fact]
    public Task Static_bridges_in_generic_and_partial_types_and_expression_bodied_registrations_are_reported() =>
        Verify.VerifyAnalyzerAsync(new[]
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
    public Task Nested_types_static_classes_and_interfaces_report_each_static_member_once() =>
        Verify.VerifyAnalyzerAsync("""
            using AgentBridge;

            class Outer
            {
                static AgentWebSocketBridge? {|AGB0002:_outer|};

                class Inner
                {
                    static AgentWebSocketBridge? {|AGB0002:_inner|};
                    AgentWebSocketBridge? _instance;
                }

                class InnerWithoutStatics
                {
                    AgentWebSocketBridge? _instance;
                }
            }

            static class Holder
            {
                public static AgentWebSocketBridge? {|AGB0002:Bridge|};
            }

            interface IHub
            {
                static AgentWebSocketBridge? {|AGB0002:Shared|} { get; set; }
            }
            """);

    [Fact]
    public Task A_static_bridge_in_the_generated_part_of_a_partial_type_is_not_reported_and_the_hand_written_one_is() =>
        Verify.VerifyAnalyzerAsync(new[]
        {
            """
            using AgentBridge;

            partial class Holder
            {
                static AgentWebSocketBridge? {|AGB0002:_written|};
            }
            """,
            """
            // <auto-generated/>
            using AgentBridge;

            partial class Holder
            {
                static AgentWebSocketBridge? _generated;
            }
            """,
        });

    [Fact]
    public Task A_team_emitter_is_reported_as_a_static_member_and_as_a_singleton_and_the_message_names_it() =>
        new Verifiers.AgentBridgeVerifier<AgentBridge.Analyzers.Tests.Verifiers.Rule.AGB0002, Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>.Test
        {
            TestCode = """
                using System;
                using Microsoft.Extensions.DependencyInjection;

                namespace Contoso.Realtime
                {
                    public class AgentNotifier { }
                    public class DerivedNotifier : AgentNotifier { }

                    static class Startup
                    {
                        static AgentNotifier? {|#0:_notifier|};
                        static Lazy<DerivedNotifier>? {|#1:_lazy|};
                        public static void Configure(IServiceCollection services) => {|#2:services.AddSingleton<AgentNotifier>()|};
                    }

                    class PerUser
                    {
                        AgentNotifier? Notifier => null;
                    }
                }
                """,
            TestState =
            {
                AdditionalFiles = { ("/0/AgentBridge.Types.txt", "emitter T:Contoso.Realtime.AgentNotifier") },
                ExpectedDiagnostics =
                {
                    new Microsoft.CodeAnalysis.Testing.DiagnosticResult(Descriptors.AGB0002_SingletonBridge).WithLocation(0).WithArguments("Static field '_notifier'", "AgentNotifier"),
                    new Microsoft.CodeAnalysis.Testing.DiagnosticResult(Descriptors.AGB0002_SingletonBridge).WithLocation(1).WithArguments("Static field '_lazy'", "DerivedNotifier"),
                    new Microsoft.CodeAnalysis.Testing.DiagnosticResult(Descriptors.AGB0002_SingletonBridge).WithLocation(2).WithArguments("The 'AddSingleton' registration", "AgentNotifier"),
                },
            },
        }.RunAsync();
}
