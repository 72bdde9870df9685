using Microsoft.CodeAnalysis.Testing;
using Verify = AgentBridge.Analyzers.Tests.Verifiers.AgentBridgeVerifier<AgentBridge.Analyzers.Tests.Verifiers.Rule.AGB0008>;

namespace AgentBridge.Analyzers.Tests.Rules;

public class AGB0008TypesFileAnalyzerTests
{
    /// <summary>A team's own hub and notifier, written before AgentBridge.</summary>
    internal const string LegacyTypes = """
        using System.Threading.Tasks;

        namespace Contoso.Realtime
        {
            public class SocketHub
            {
                public Task PushAsync(string userId, object payload) => Task.CompletedTask;
                public Task PushAsync(string userId, object payload, int priority) => Task.CompletedTask;
            }

            public class AgentNotifier
            {
                public Task NotifyAsync(string text) => Task.CompletedTask;
            }
        }
        """;

    [Fact]
    public Task Well_formed_lines_comments_and_blank_lines_are_not_reported() =>
        Verify.VerifyAnalyzerAsync(LegacyTypes, ("/0/AgentBridge.Types.txt", """
            # our old hub: a direct send (AGB0001, AGB0005)
            send M:Contoso.Realtime.SocketHub.PushAsync(System.String,System.Object)

              send M:Contoso.Realtime.SocketHub.PushAsync(System.String,System.Object,System.Int32)   # the overload too
            # our old per-user notifier
            emitter T:Contoso.Realtime.AgentNotifier
            """));

    [Fact]
    public Task Malformed_lines_are_reported_at_their_line_with_what_is_wrong() =>
        Verify.VerifyAnalyzerAsync(LegacyTypes, ("/0/AgentBridge.Types.txt", """
            # kinds are 'send' and 'emitter'
            {|AGB0008:hub M:Contoso.Realtime.SocketHub.PushAsync(System.String,System.Object)|}
            {|AGB0008:send|}
                {|AGB0008:send T:Contoso.Realtime.SocketHub|}
            {|AGB0008:emitter M:Contoso.Realtime.AgentNotifier.NotifyAsync(System.String)|}
            {|AGB0008:emitter T:Contoso.Realtime.AgentNotifier extra|} # a comment is fine, a third word is not
            """));

    [Fact]
    public async Task Each_problem_has_its_own_message()
    {
        var test = new Verifiers.AgentBridgeVerifier<AgentBridge.Analyzers.Tests.Verifiers.Rule.AGB0008, EmptyCodeFixProvider>.Test { TestCode = LegacyTypes };
        test.TestState.AdditionalFiles.Add(("/0/AgentBridge.Types.txt", """
            hub M:Contoso.Realtime.SocketHub.PushAsync(System.String,System.Object)
            send T:Contoso.Realtime.SocketHub
            emitter M:Contoso.Realtime.AgentNotifier.NotifyAsync(System.String)
            send M:Contoso.Realtime.SocketHub.PushAsync(System.String)
            emitter T:Contoso.Realtime.Missing
            """));
        test.ExpectedDiagnostics.AddRange(new[]
        {
            Problem(1, 1, 1, 72, "'hub' is not a kind of entry: a line is 'send M:Namespace.Type.Method(ParameterTypes)' or 'emitter T:Namespace.Type'"),
            Problem(2, 1, 2, 34, "a 'send' entry is one method's documentation-comment id: 'send M:Namespace.Type.Method(ParameterTypes)'"),
            Problem(3, 1, 3, 68, "an 'emitter' entry is one type's documentation-comment id: 'emitter T:Namespace.Type'"),
            Problem(4, 1, 4, 59, "'M:Contoso.Realtime.SocketHub.PushAsync(System.String)' names nothing in this compilation (check the namespace, the type and the parameter types)"),
            Problem(5, 1, 5, 35, "'T:Contoso.Realtime.Missing' names nothing in this compilation (check the namespace, the type and the parameter types)"),
        });
        await test.RunAsync();
    }

    [Fact]
    public Task Files_named_AgentBridge_dot_something_are_read_and_other_files_are_not() =>
        Verify.VerifyAnalyzerAsync(
            LegacyTypes,
            ("/0/AgentBridge.Legacy.txt", "{|AGB0008:send M:Contoso.Realtime.Nowhere.PushAsync|}\n"),
            ("/0/agentbridge.hubs.TXT", "{|AGB0008:emitter T:Contoso.Realtime.Nowhere|}\n"),
            ("/0/BannedSymbols.txt", "M:Contoso.Realtime.Nowhere.PushAsync\n"),
            ("/0/AgentBridge.txt", "not a types file: nothing between 'AgentBridge.' and '.txt'\n"));

    [Fact]
    public async Task Its_severity_is_set_for_the_project_as_MSBuild_sets_WarningsAsErrors_and_NoWarn()
    {
        // A diagnostic in an additional file has no syntax tree, so .editorconfig sections (and global configs) do
        // not apply to it; the compilation's own options (WarningsAsErrors, NoWarn) do.
        var test = new Verifiers.AgentBridgeVerifier<AgentBridge.Analyzers.Tests.Verifiers.Rule.AGB0008, EmptyCodeFixProvider>.Test { TestCode = LegacyTypes };
        test.TestState.AdditionalFiles.Add(("/0/AgentBridge.Types.txt", "emitter T:Contoso.Realtime.Missing"));
        test.SolutionTransforms.Add((solution, projectId) =>
        {
            var options = solution.GetProject(projectId)!.CompilationOptions!;
            return solution.WithProjectCompilationOptions(projectId, options.WithSpecificDiagnosticOptions(
                options.SpecificDiagnosticOptions.SetItem("AGB0008", Microsoft.CodeAnalysis.ReportDiagnostic.Error)));
        });
        test.ExpectedDiagnostics.Add(new DiagnosticResult(Descriptors.AGB0008_TypesFileEntry)
            .WithSpan("/0/AgentBridge.Types.txt", 1, 1, 1, 35)
            .WithSeverity(Microsoft.CodeAnalysis.DiagnosticSeverity.Error)
            .WithArguments("'T:Contoso.Realtime.Missing' names nothing in this compilation (check the namespace, the type and the parameter types)"));
        await test.RunAsync();
    }

    private static DiagnosticResult Problem(int line, int column, int endLine, int endColumn, string message) =>
        new DiagnosticResult(Descriptors.AGB0008_TypesFileEntry)
            .WithSpan("/0/AgentBridge.Types.txt", line, column, endLine, endColumn)
            .WithArguments(message);

    [Fact]
    public Task Generic_types_and_methods_and_nested_types_are_named_as_documentation_comment_ids_name_them() =>
        Verify.VerifyAnalyzerAsync("""
            using System.Threading.Tasks;

            namespace Contoso.Realtime
            {
                public class Hub<TPayload>
                {
                    public Task PushAsync(string userId, TPayload payload) => Task.CompletedTask;
                    public Task PushManyAsync<TItem>(string userId, TItem[] items) => Task.CompletedTask;

                    public class Notifier { }
                }
            }
            """, ("/0/AgentBridge.Types.txt", """
                send M:Contoso.Realtime.Hub`1.PushAsync(System.String,`0)
                send M:Contoso.Realtime.Hub`1.PushManyAsync``1(System.String,``0[])
                emitter T:Contoso.Realtime.Hub`1.Notifier
                {|AGB0008:send M:Contoso.Realtime.Hub.PushAsync(System.String,System.Object)|}
                """));
}
