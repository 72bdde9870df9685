using AgentBridge.Analyzers.Rules;
using AgentBridge.Analyzers.Tests.Verifiers;
using AgentBridge.CodeFixes.Rules;
using Microsoft.CodeAnalysis;
using Verify = AgentBridge.Analyzers.Tests.Verifiers.AgentBridgeVerifier<AgentBridge.Analyzers.Tests.Verifiers.Rule.AGB0007, AgentBridge.CodeFixes.Rules.RequestUserIdCodeFix>;

namespace AgentBridge.Analyzers.Tests.Fixes;

public class AGB0007RequestUserIdCodeFixTests
{
    [Fact]
    public Task The_http_context_user_replaces_the_query_string_and_the_using_is_added() =>
        Verify.VerifyFixAsync("""
            using AgentBridge;
            using Microsoft.AspNetCore.Http;

            class Endpoint
            {
                UserExecutionContext Context(HttpContext http, string threadId) =>
                    UserExecutionContext.Create(/* who */ {|AGB0007:http.Request.Query["userId"].ToString()|}, threadId);
            }
            """, """
            using System.Security.Claims;
            using AgentBridge;
            using Microsoft.AspNetCore.Http;

            class Endpoint
            {
                UserExecutionContext Context(HttpContext http, string threadId) =>
                    UserExecutionContext.Create(/* who */ http.User.FindFirstValue(ClaimTypes.NameIdentifier)!, threadId);
            }
            """);

    [Fact]
    public Task A_controller_takes_its_User_and_a_send_is_fixed_too() =>
        Verify.VerifyFixAsync("""
            using System.Security.Claims;
            using System.Threading.Tasks;
            using AgentBridge;
            using Microsoft.AspNetCore.Mvc;

            public class RunsController : ControllerBase
            {
                private readonly WebSocketConnectionManager _manager = new();

                [HttpPost("runs/{threadId}")]
                public async Task Start([FromQuery] string user, string threadId)
                {
                    var context = UserExecutionContext.Create({|AGB0007:user|}, threadId);
                    await _manager.SendToUserAsync({|AGB0007:Request.Headers["X-User"].ToString()|}, new AgentEvent(AgentEventTypes.AgentStarted));
                }
            }
            """, """
            using System.Security.Claims;
            using System.Threading.Tasks;
            using AgentBridge;
            using Microsoft.AspNetCore.Mvc;

            public class RunsController : ControllerBase
            {
                private readonly WebSocketConnectionManager _manager = new();

                [HttpPost("runs/{threadId}")]
                public async Task Start([FromQuery] string user, string threadId)
                {
                    var context = UserExecutionContext.Create(User.FindFirstValue(ClaimTypes.NameIdentifier)!, threadId);
                    await _manager.SendToUserAsync(User.FindFirstValue(ClaimTypes.NameIdentifier)!, new AgentEvent(AgentEventTypes.AgentStarted));
                }
            }
            """);

    [Fact]
    public Task The_apps_user_id_provider_is_used_when_it_is_in_scope() =>
        Verify.VerifyFixAsync("""
            using System.Security.Claims;
            using AgentBridge;

            class Runs
            {
                private readonly IAgentBridgeUserIdProvider _userIds;

                public Runs(IAgentBridgeUserIdProvider userIds) => _userIds = userIds;

                UserExecutionContext Start(ClaimsPrincipal principal, Microsoft.AspNetCore.Http.HttpRequest request) =>
                    UserExecutionContext.Create({|AGB0007:request.Query["u"].ToString()|}, "thread");
            }
            """, """
            using System.Security.Claims;
            using AgentBridge;

            class Runs
            {
                private readonly IAgentBridgeUserIdProvider _userIds;

                public Runs(IAgentBridgeUserIdProvider userIds) => _userIds = userIds;

                UserExecutionContext Start(ClaimsPrincipal principal, Microsoft.AspNetCore.Http.HttpRequest request) =>
                    UserExecutionContext.Create(_userIds.GetUserId(principal)!, "thread");
            }
            """);

    [Fact]
    public Task A_minimal_api_handler_gets_the_user_of_its_http_context_in_top_level_statements() =>
        Verify.VerifyFixAsync("""
            using AgentBridge;
            using Microsoft.AspNetCore.Builder;
            using Microsoft.AspNetCore.Http;
            using Microsoft.AspNetCore.Routing;

            IEndpointRouteBuilder app = null!;
            app.MapPost("/runs/{userId}/{threadId}", (string userId, string threadId, HttpContext http) =>
                UserExecutionContext.Create({|AGB0007:userId|}, threadId));
            """, """
            using System.Security.Claims;
            using AgentBridge;
            using Microsoft.AspNetCore.Builder;
            using Microsoft.AspNetCore.Http;
            using Microsoft.AspNetCore.Routing;

            IEndpointRouteBuilder app = null!;
            app.MapPost("/runs/{userId}/{threadId}", (string userId, string threadId, HttpContext http) =>
                UserExecutionContext.Create(http.User.FindFirstValue(ClaimTypes.NameIdentifier)!, threadId));
            """, OutputKind.ConsoleApplication);

    [Fact]
    public Task No_fix_without_a_principal_in_scope_or_from_a_static_one() =>
        Verify.VerifyNoFixAsync("""
            using System.Security.Claims;
            using AgentBridge;
            using Microsoft.AspNetCore.Http;
            using Microsoft.AspNetCore.SignalR;

            static class Shared
            {
                public static ClaimsPrincipal Principal { get; } = new();
            }

            class Endpoint
            {
                private static readonly ClaimsPrincipal Anyone = new();

                UserExecutionContext Context(IQueryCollection query) => UserExecutionContext.Create({|AGB0007:query["u"].ToString()|}, "t");
            }

            public class AgentHub : Hub
            {
                public UserExecutionContext Join(string userId) => UserExecutionContext.Create({|AGB0007:userId|}, "thread");
            }
            """);

    [Fact]
    public async Task Dotnet_format_fixes_every_site_when_the_first_has_no_fix()
    {
        string[] source =
        [
            """
            using AgentBridge;
            using Microsoft.AspNetCore.Http;

            class Endpoint
            {
                UserExecutionContext NoPrincipal(IQueryCollection query) => UserExecutionContext.Create(query["u"].ToString(), "t");

                UserExecutionContext A(HttpContext http) => UserExecutionContext.Create(http.Request.Query["u"].ToString(), "t");

                UserExecutionContext B(HttpRequest request) => UserExecutionContext.Create(request.Cookies["u"]!, "t");
            }
            """,
        ];

        var fixedText = await DotnetFormat.FixAllAsync(new AgentBridgeAnalyzer(), new RequestUserIdCodeFix(), [source]);

        Assert.Equal("""
            using System.Security.Claims;
            using AgentBridge;
            using Microsoft.AspNetCore.Http;

            class Endpoint
            {
                UserExecutionContext NoPrincipal(IQueryCollection query) => UserExecutionContext.Create(query["u"].ToString(), "t");

                UserExecutionContext A(HttpContext http) => UserExecutionContext.Create(http.User.FindFirstValue(ClaimTypes.NameIdentifier)!, "t");

                UserExecutionContext B(HttpRequest request) => UserExecutionContext.Create(request.HttpContext.User.FindFirstValue(ClaimTypes.NameIdentifier)!, "t");
            }
            """, fixedText[0]);
        CompilerWarnings.AssertNoNew(source, fixedText, OutputKind.DynamicallyLinkedLibrary);
    }

    [Fact]
    public Task A_named_argument_keeps_its_name() =>
        Verify.VerifyFixAsync("""
            using System.Security.Claims;
            using AgentBridge;
            using Microsoft.AspNetCore.Http;

            class Endpoint
            {
                UserExecutionContext Named(ClaimsPrincipal user, HttpRequest request) =>
                    UserExecutionContext.Create(threadId: "t", userId: {|AGB0007:request.Query["u"].ToString()|});
            }
            """, """
            using System.Security.Claims;
            using AgentBridge;
            using Microsoft.AspNetCore.Http;

            class Endpoint
            {
                UserExecutionContext Named(ClaimsPrincipal user, HttpRequest request) =>
                    UserExecutionContext.Create(threadId: "t", userId: user.FindFirstValue(ClaimTypes.NameIdentifier)!);
            }
            """);

    [Fact]
    public Task Fix_all_in_solution_scope_fixes_both_projects() =>
        Verify.VerifyFixInTwoProjectsAsync(
            """
            using AgentBridge;
            using Microsoft.AspNetCore.Http;

            public class First
            {
                public UserExecutionContext Open(HttpContext http) => UserExecutionContext.Create({|AGB0007:http.Request.Headers["X-User"].ToString()|}, "t");
            }
            """,
            """
            using System.Security.Claims;
            using AgentBridge;
            using Microsoft.AspNetCore.Http;

            public class First
            {
                public UserExecutionContext Open(HttpContext http) => UserExecutionContext.Create(http.User.FindFirstValue(ClaimTypes.NameIdentifier)!, "t");
            }
            """,
            """
            using System.Security.Claims;
            using AgentBridge;
            using Microsoft.AspNetCore.Http;

            public class Second
            {
                public UserExecutionContext Open(ClaimsPrincipal principal, HttpRequest request) => UserExecutionContext.Create({|AGB0007:request.Cookies["u"]!|}, "t");
            }
            """,
            """
            using System.Security.Claims;
            using AgentBridge;
            using Microsoft.AspNetCore.Http;

            public class Second
            {
                public UserExecutionContext Open(ClaimsPrincipal principal, HttpRequest request) => UserExecutionContext.Create(principal.FindFirstValue(ClaimTypes.NameIdentifier)!, "t");
            }
            """);
}
