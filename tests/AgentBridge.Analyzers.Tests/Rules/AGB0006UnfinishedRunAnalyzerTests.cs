using Microsoft.CodeAnalysis;
using Verify = AgentBridge.Analyzers.Tests.Verifiers.AgentBridgeVerifier<AgentBridge.Analyzers.Tests.Verifiers.Rule.AGB0006>;

namespace AgentBridge.Analyzers.Tests.Rules;

public class AGB0006UnfinishedRunAnalyzerTests
{
    [Fact]
    public Task A_discarded_run_is_reported() =>
        Verify.VerifyAnalyzerAsync("""
            using System.Threading.Tasks;
            using AgentBridge;

            class Agent
            {
                async Task Run(AgentWebSocketBridge bridge)
                {
                    await {|AGB0006:bridge.BeginRunAsync("triage")|};
                    _ = await {|AGB0006:bridge.BeginRunAsync("triage")|};
                    await {|AGB0006:bridge!.BeginRunAsync(agentName: "triage", cancellationToken: default)|}.ConfigureAwait(false);
                }
            }
            """);

    [Fact]
    public Task A_run_in_a_local_that_is_never_disposed_is_reported() =>
        Verify.VerifyAnalyzerAsync("""
            using System.Threading.Tasks;
            using AgentBridge;

            class Agent
            {
                async Task Run(AgentWebSocketBridge bridge)
                {
                    var run = await {|AGB0006:bridge.BeginRunAsync("triage")|};
                    await run.ThinkingAsync("reading");
                    run.Complete();
                }
            }
            """);

    [Fact]
    public async Task A_run_disposed_outside_a_finally_is_reported_as_not_disposed_on_every_path()
    {
        var test = new Verifiers.AgentBridgeVerifier<AgentBridge.Analyzers.Tests.Verifiers.Rule.AGB0006, Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>.Test
        {
            TestCode = """
                using System.Threading.Tasks;
                using AgentBridge;

                class Agent
                {
                    async Task Run(AgentWebSocketBridge bridge)
                    {
                        var run = await bridge.BeginRunAsync("triage");
                        await run.ThinkingAsync("reading");
                        await run.DisposeAsync();
                    }
                }
                """,
        };
        test.ExpectedDiagnostics.Add(new Microsoft.CodeAnalysis.Testing.DiagnosticResult(Descriptors.AGB0006_UnfinishedRun)
            .WithSpan(8, 25, 8, 55)
            .WithArguments("The run of this 'BeginRunAsync' is disposed, but not on every path (an exception skips the dispose)"));
        await test.RunAsync();
    }

    [Fact]
    public Task A_member_of_a_run_that_is_then_dropped_is_reported() =>
        Verify.VerifyAnalyzerAsync("""
            using System.Threading.Tasks;
            using AgentBridge;

            class Agent
            {
                async Task Run(AgentWebSocketBridge bridge) => (await {|AGB0006:bridge.BeginRunAsync("triage")|}).Complete();
            }
            """);

    [Fact]
    public Task Runs_in_lambdas_local_functions_generic_methods_and_partial_classes_are_reported() =>
        Verify.VerifyAnalyzerAsync(new[]
        {
            """
            using System;
            using System.Threading.Tasks;
            using AgentBridge;

            partial class Agent
            {
                Func<AgentWebSocketBridge, Task> Make() => async bridge => await {|AGB0006:bridge.BeginRunAsync("lambda")|};

                async Task<T> Run<T>(AgentWebSocketBridge bridge, T state)
                {
                    await Local();
                    return state;

                    async Task Local() => _ = await {|AGB0006:bridge.BeginRunAsync("local")|};
                }
            }
            """,
            """
            using System.Threading.Tasks;
            using AgentBridge;

            partial class Agent
            {
                async Task Other(AgentWebSocketBridge bridge)
                {
                    var run = await {|AGB0006:bridge.BeginRunAsync("other part")|};
                }
            }
            """,
        });

    [Fact]
    public Task Top_level_statements_are_analyzed() =>
        Verify.VerifyAnalyzerAsync("""
            using AgentBridge;

            var factory = new AgentWebSocketBridgeFactory(new WebSocketConnectionManager());
            var bridge = factory.Create(UserExecutionContext.Create("user-1", "thread-1"));
            await {|AGB0006:bridge.BeginRunAsync("top-level")|};
            """, OutputKind.ConsoleApplication);

    [Fact]
    public Task Await_using_in_both_forms_is_not_reported() =>
        Verify.VerifyAnalyzerAsync("""
            using System.Threading.Tasks;
            using AgentBridge;

            class Agent
            {
                async Task Run(AgentWebSocketBridge bridge)
                {
                    await using var run = await bridge.BeginRunAsync("declaration");
                    await using (var scoped = await bridge.BeginRunAsync("statement").ConfigureAwait(false))
                    {
                        scoped.Complete();
                    }

                    var later = await bridge.BeginRunAsync("local then using");
                    await using (later)
                    {
                        later.Complete();
                    }
                }
            }
            """);

    [Fact]
    public Task A_run_returned_stored_or_passed_on_is_not_reported() =>
        Verify.VerifyAnalyzerAsync("""
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using AgentBridge;

            class Agent
            {
                private AgentRun? _current;
                private readonly List<AgentRun> _runs = new();

                async Task<AgentRun> Begin(AgentWebSocketBridge bridge) => await bridge.BeginRunAsync("returned");

                Task<AgentRun> BeginLater(AgentWebSocketBridge bridge) => bridge.BeginRunAsync("task returned");

                async Task Keep(AgentWebSocketBridge bridge)
                {
                    _current = await bridge.BeginRunAsync("field");
                    _runs.Add(await bridge.BeginRunAsync("collection"));
                    var run = await bridge.BeginRunAsync("local handed on");
                    Track(run);
                }

                void Track(AgentRun run) => _runs.Add(run);
            }
            """);

    [Fact]
    public Task A_run_disposed_in_a_finally_is_not_reported() =>
        Verify.VerifyAnalyzerAsync("""
            using System.Threading.Tasks;
            using AgentBridge;

            class Agent
            {
                async Task A(AgentWebSocketBridge bridge)
                {
                    var run = await bridge.BeginRunAsync("a");
                    try
                    {
                        await run.ThinkingAsync("working");
                    }
                    finally
                    {
                        await run.DisposeAsync();
                    }
                }

                async Task B(AgentWebSocketBridge bridge)
                {
                    AgentRun? run = null;
                    try
                    {
                        run = await bridge.BeginRunAsync("b");
                        run.Complete();
                    }
                    finally
                    {
                        if (run is not null)
                        {
                            await run.DisposeAsync();
                        }
                    }
                }

                async Task C(AgentWebSocketBridge bridge)
                {
                    AgentRun? run = null;
                    try
                    {
                        run = await bridge.BeginRunAsync("c");
                    }
                    finally
                    {
                        await (run?.DisposeAsync() ?? default);
                    }
                }
            }
            """);

    [Fact]
    public Task Started_without_completed_is_reported() =>
        Verify.VerifyAnalyzerAsync("""
            using System.Threading.Tasks;
            using AgentBridge;

            class Agent
            {
                async Task Never(AgentWebSocketBridge bridge)
                {
                    await {|AGB0006:bridge.EmitAgentStartedAsync("never")|};
                    await bridge.EmitAgentThinkingAsync("never", "thinking");
                }

                async Task EarlyReturn(AgentWebSocketBridge bridge, bool done)
                {
                    await {|AGB0006:bridge.EmitAgentStartedAsync("early")|};
                    if (done)
                    {
                        return;
                    }

                    await bridge.EmitAgentCompletedAsync("early");
                }

                async Task Throws(AgentWebSocketBridge bridge, int[] items)
                {
                    await {|AGB0006:bridge.EmitAgentStartedAsync("throws")|};
                    if (items.Length == 0)
                    {
                        throw new System.ArgumentException("empty");
                    }

                    await bridge.EmitAgentCompletedAsync("throws");
                }
            }
            """);

    [Fact]
    public Task Started_then_work_that_may_throw_then_completed_is_reported() =>
        Verify.VerifyAnalyzerAsync("""
            using System.Threading.Tasks;
            using AgentBridge;

            class Agent
            {
                async Task Run(AgentWebSocketBridge bridge, System.Func<Task<string>> work)
                {
                    await {|AGB0006:bridge.EmitAgentStartedAsync("agent")|};
                    var answer = await work();
                    await bridge.EmitAgentCompletedAsync("agent", answer);
                }
            }
            """);

    [Fact]
    public Task Started_then_a_throwing_statement_inside_a_try_that_completes_is_not_reported() =>
        Verify.VerifyAnalyzerAsync("""
            using System;
            using System.Threading.Tasks;
            using AgentBridge;

            class Agent
            {
                async Task CaughtAround(AgentWebSocketBridge bridge, Func<Task> work)
                {
                    try
                    {
                        await bridge.EmitAgentStartedAsync("caught");
                        await work();
                        await bridge.EmitAgentCompletedAsync("caught");
                    }
                    catch (Exception ex)
                    {
                        await bridge.EmitAgentCompletedAsync("caught", AgentRunStatus.Failed, null, ex.Message);
                    }
                }

                async Task FinallyAround(AgentWebSocketBridge bridge, Func<Task<string>> work)
                {
                    try
                    {
                        await bridge.EmitAgentStartedAsync("finally");
                        _ = await work();
                    }
                    finally
                    {
                        await bridge.EmitAgentCompletedAsync("finally");
                    }
                }
            }
            """);

    [Fact]
    public Task Started_then_an_assignment_or_a_construction_that_may_throw_is_reported() =>
        Verify.VerifyAnalyzerAsync("""
            using System;
            using System.Threading.Tasks;
            using AgentBridge;

            class Agent
            {
                string _last = "";

                async Task Assigned(AgentWebSocketBridge bridge, Func<Task<string>> work)
                {
                    await {|AGB0006:bridge.EmitAgentStartedAsync("assigned")|};
                    _last = await work();
                    await bridge.EmitAgentCompletedAsync("assigned", _last);
                }

                async Task Constructed(AgentWebSocketBridge bridge)
                {
                    await {|AGB0006:bridge.EmitAgentStartedAsync("constructed")|};
                    var buffer = new System.Text.StringBuilder(16);
                    await bridge.EmitAgentCompletedAsync("constructed", buffer.ToString());
                }
            }
            """);

    [Fact]
    public Task Started_in_a_lambda_and_in_a_local_function_is_analyzed_in_its_own_body() =>
        Verify.VerifyAnalyzerAsync("""
            using System;
            using System.Threading.Tasks;
            using AgentBridge;

            class Agent
            {
                Func<Task> Make(AgentWebSocketBridge bridge) => async () =>
                {
                    await {|AGB0006:bridge.EmitAgentStartedAsync("lambda")|};
                    await bridge.EmitAgentThinkingAsync("lambda", "and then nothing");
                };

                async Task Outer(AgentWebSocketBridge bridge)
                {
                    await Local();
                    await bridge.EmitAgentCompletedAsync("outer completes, not the local function");

                    async Task Local()
                    {
                        await {|AGB0006:bridge.EmitAgentStartedAsync("local")|};
                    }
                }
            }
            """);

    [Fact]
    public Task Started_completed_on_every_path_is_not_reported() =>
        Verify.VerifyAnalyzerAsync("""
            using System;
            using System.Threading.Tasks;
            using AgentBridge;

            class Agent
            {
                async Task Finally(AgentWebSocketBridge bridge, Func<Task> work)
                {
                    await bridge.EmitAgentStartedAsync("finally");
                    try
                    {
                        await work();
                    }
                    finally
                    {
                        await bridge.EmitAgentCompletedAsync("finally");
                    }
                }

                async Task CatchAll(AgentWebSocketBridge bridge, Func<Task<object>> work)
                {
                    await bridge.EmitAgentStartedAsync("catch");
                    object result;
                    try
                    {
                        result = await work();
                    }
                    catch (Exception ex)
                    {
                        await bridge.EmitAgentCompletedAsync("catch", AgentRunStatus.Failed, null, ex.Message);
                        throw;
                    }

                    await bridge.EmitAgentCompletedAsync("catch", result);
                }

                async Task Branches(AgentWebSocketBridge bridge, bool quick)
                {
                    await bridge.EmitAgentStartedAsync("branches");
                    if (quick)
                    {
                        await bridge.EmitAgentCompletedAsync("branches", "quick");
                        return;
                    }

                    await bridge.EmitAgentCompletedAsync("branches", "slow");
                }

                async Task Nothing_in_between(AgentWebSocketBridge bridge)
                {
                    await bridge.EmitAgentStartedAsync("short");
                    await bridge.EmitAgentCompletedAsync("short");
                }
            }
            """);

    [Fact]
    public Task A_users_own_bridge_with_the_same_members_is_not_reported() =>
        Verify.VerifyAnalyzerAsync("""
            using System.Threading.Tasks;

            namespace MyApp
            {
                class AgentRun : System.IAsyncDisposable { public ValueTask DisposeAsync() => default; }

                class AgentWebSocketBridge
                {
                    public Task<AgentRun> BeginRunAsync(string name) => Task.FromResult(new AgentRun());
                    public Task EmitAgentStartedAsync(string name) => Task.CompletedTask;
                }

                class Agent
                {
                    async Task Run(AgentWebSocketBridge bridge)
                    {
                        await bridge.BeginRunAsync("mine");
                        await bridge.EmitAgentStartedAsync("mine");
                    }
                }
            }
            """);
}
