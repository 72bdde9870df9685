using AgentBridge.Analyzers.Rules;
using AgentBridge.Analyzers.Tests.Verifiers;
using AgentBridge.CodeFixes.Rules;
using Microsoft.CodeAnalysis;
using Verify = AgentBridge.Analyzers.Tests.Verifiers.AgentBridgeVerifier<AgentBridge.Analyzers.Tests.Verifiers.Rule.AGB0006, AgentBridge.CodeFixes.Rules.UnfinishedRunCodeFix>;

namespace AgentBridge.Analyzers.Tests.Fixes;

public class AGB0006UnfinishedRunCodeFixTests
{
    [Fact]
    public Task A_discarded_run_becomes_await_using_and_keeps_its_comments() =>
        Verify.VerifyFixAsync("""
            using System.Threading;
            using System.Threading.Tasks;
            using AgentBridge;

            class Agent
            {
                async Task Run(AgentWebSocketBridge bridge, CancellationToken cancellationToken)
                {
                    // start the run
                    await {|AGB0006:bridge.BeginRunAsync("triage", cancellationToken)|}.ConfigureAwait(false); // and forget it
                    await bridge.EmitAgentThinkingAsync("triage", "reading", cancellationToken);
                }
            }
            """, """
            using System.Threading;
            using System.Threading.Tasks;
            using AgentBridge;

            class Agent
            {
                async Task Run(AgentWebSocketBridge bridge, CancellationToken cancellationToken)
                {
                    // start the run
                    await using var run = await bridge.BeginRunAsync("triage", cancellationToken).ConfigureAwait(false); // and forget it
                    await bridge.EmitAgentThinkingAsync("triage", "reading", cancellationToken);
                }
            }
            """);

    [Fact]
    public Task A_discard_assignment_becomes_await_using() =>
        Verify.VerifyFixAsync("""
            using System.Threading.Tasks;
            using AgentBridge;

            class Agent
            {
                async Task Run(AgentWebSocketBridge bridge)
                {
                    _ = await {|AGB0006:bridge.BeginRunAsync("triage")|};
                }
            }
            """, """
            using System.Threading.Tasks;
            using AgentBridge;

            class Agent
            {
                async Task Run(AgentWebSocketBridge bridge)
                {
                    await using var run = await bridge.BeginRunAsync("triage");
                }
            }
            """);

    [Fact]
    public Task A_local_gets_await_using_on_its_declaration_and_an_explicit_dispose_stays_harmless() =>
        Verify.VerifyFixAsync("""
            using System.Threading.Tasks;
            using AgentBridge;

            class Agent
            {
                async Task Run(AgentWebSocketBridge bridge)
                {
                    AgentRun run = await {|AGB0006:bridge.BeginRunAsync("triage")|};
                    await run.ThinkingAsync("reading");
                    await run.DisposeAsync();
                }
            }
            """, """
            using System.Threading.Tasks;
            using AgentBridge;

            class Agent
            {
                async Task Run(AgentWebSocketBridge bridge)
                {
                    await using AgentRun run = await bridge.BeginRunAsync("triage");
                    await run.ThinkingAsync("reading");
                    await run.DisposeAsync();
                }
            }
            """);

    [Fact]
    public Task The_new_local_takes_a_free_name() =>
        Verify.VerifyFixAsync("""
            using System.Threading.Tasks;
            using AgentBridge;

            class Agent
            {
                async Task Run(AgentWebSocketBridge bridge, int run)
                {
                    await {|AGB0006:bridge.BeginRunAsync("first")|};
                    {
                        var run2 = run + 1;
                    }
                }
            }
            """, """
            using System.Threading.Tasks;
            using AgentBridge;

            class Agent
            {
                async Task Run(AgentWebSocketBridge bridge, int run)
                {
                    await using var run3 = await bridge.BeginRunAsync("first");
                    {
                        var run2 = run + 1;
                    }
                }
            }
            """);

    [Fact]
    public Task Top_level_statements_are_fixed() =>
        Verify.VerifyFixAsync("""
            using AgentBridge;

            var factory = new AgentWebSocketBridgeFactory(new WebSocketConnectionManager());
            var bridge = factory.Create(UserExecutionContext.Create("user-1", "thread-1"));
            await {|AGB0006:bridge.BeginRunAsync("top-level")|};
            """, """
            using AgentBridge;

            var factory = new AgentWebSocketBridgeFactory(new WebSocketConnectionManager());
            var bridge = factory.Create(UserExecutionContext.Create("user-1", "thread-1"));
            await using var run = await bridge.BeginRunAsync("top-level");
            """, OutputKind.ConsoleApplication);

    [Fact]
    public Task No_fix_where_a_declaration_cannot_stand_or_the_local_is_reassigned_or_for_the_started_form() =>
        Verify.VerifyNoFixAsync("""
            using System;
            using System.Threading.Tasks;
            using AgentBridge;

            class Agent
            {
                async Task Embedded(AgentWebSocketBridge bridge, bool go)
                {
                    if (go)
                        await {|AGB0006:bridge.BeginRunAsync("embedded")|};
                }

                Func<Task> Lambda(AgentWebSocketBridge bridge) => async () => await {|AGB0006:bridge.BeginRunAsync("lambda")|};

                async Task Temporary(AgentWebSocketBridge bridge) => (await {|AGB0006:bridge.BeginRunAsync("temporary")|}).Complete();

                async Task Reassigned(AgentWebSocketBridge bridge)
                {
                    var run = await {|AGB0006:bridge.BeginRunAsync("first")|};
                    run = await {|AGB0006:bridge.BeginRunAsync("second")|};
                }

                async Task Started(AgentWebSocketBridge bridge) => await {|AGB0006:bridge.EmitAgentStartedAsync("started")|};
            }
            """);

    [Fact]
    public Task Fix_all_fixes_every_run_of_both_projects() =>
        Verify.VerifyFixInTwoProjectsAsync(
            """
            using System.Threading.Tasks;
            using AgentBridge;

            public class First
            {
                public async Task A(AgentWebSocketBridge bridge)
                {
                    await {|AGB0006:bridge.BeginRunAsync("a")|};
                }

                public async Task B(AgentWebSocketBridge bridge)
                {
                    var run = await {|AGB0006:bridge.BeginRunAsync("b")|};
                    run.Complete();
                }
            }
            """,
            """
            using System.Threading.Tasks;
            using AgentBridge;

            public class First
            {
                public async Task A(AgentWebSocketBridge bridge)
                {
                    await using var run = await bridge.BeginRunAsync("a");
                }

                public async Task B(AgentWebSocketBridge bridge)
                {
                    await using var run = await bridge.BeginRunAsync("b");
                    run.Complete();
                }
            }
            """,
            """
            using System.Threading.Tasks;
            using AgentBridge;

            public class Second
            {
                public async Task C(AgentWebSocketBridge bridge) { _ = await {|AGB0006:bridge.BeginRunAsync("c")|}; }
            }
            """,
            """
            using System.Threading.Tasks;
            using AgentBridge;

            public class Second
            {
                public async Task C(AgentWebSocketBridge bridge) { await using var run = await bridge.BeginRunAsync("c"); }
            }
            """);

    [Fact]
    public async Task Dotnet_format_fixes_every_run_when_the_first_site_has_no_fix()
    {
        string[] source =
        [
            """
            using System.Threading.Tasks;
            using AgentBridge;

            class Agent
            {
                async Task Started(AgentWebSocketBridge bridge) => await bridge.EmitAgentStartedAsync("no fix here");

                async Task A(AgentWebSocketBridge bridge)
                {
                    await bridge.BeginRunAsync("a");
                }

                async Task B(AgentWebSocketBridge bridge)
                {
                    var run = await bridge.BeginRunAsync("b");
                }
            }
            """,
        ];

        var fixedText = await DotnetFormat.FixAllAsync(new AgentBridgeAnalyzer(), new UnfinishedRunCodeFix(), [source]);

        Assert.Equal("""
            using System.Threading.Tasks;
            using AgentBridge;

            class Agent
            {
                async Task Started(AgentWebSocketBridge bridge) => await bridge.EmitAgentStartedAsync("no fix here");

                async Task A(AgentWebSocketBridge bridge)
                {
                    await using var run = await bridge.BeginRunAsync("a");
                }

                async Task B(AgentWebSocketBridge bridge)
                {
                    await using var run = await bridge.BeginRunAsync("b");
                }
            }
            """, fixedText[0]);
        CompilerWarnings.AssertNoNew(source, fixedText, OutputKind.DynamicallyLinkedLibrary);
    }
}
