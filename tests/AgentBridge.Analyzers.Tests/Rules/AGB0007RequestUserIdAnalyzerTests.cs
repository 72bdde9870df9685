using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Verify = AgentBridge.Analyzers.Tests.Verifiers.AgentBridgeVerifier<AgentBridge.Analyzers.Tests.Verifiers.Rule.AGB0007>;

namespace AgentBridge.Analyzers.Tests.Rules;

public class AGB0007RequestUserIdAnalyzerTests
{
    [Theory]
    [InlineData("http.Request.Query[\"userId\"].ToString()")]
    [InlineData("(string)http.Request.Query[\"userId\"]!")]
    [InlineData("http.Request.RouteValues[\"userId\"]?.ToString() ?? \"\"")]
    [InlineData("http.Request.Headers[\"X-User\"].ToString()")]
    [InlineData("http.Request.Form[\"user\"].ToString()")]
    [InlineData("http.Request.Cookies[\"user\"]!")]
    [InlineData("(string)http.GetRouteValue(\"userId\")!")]
    [InlineData("$\"tenant-{http.Request.Query[\"user\"]}\"")]
    public Task Each_part_of_the_request_is_reported(string userId) =>
        Verify.VerifyAnalyzerAsync($$"""
            using AgentBridge;
            using Microsoft.AspNetCore.Http;
            using Microsoft.AspNetCore.Routing;

            class Endpoint
            {
                UserExecutionContext Context(HttpContext http, string threadId) => UserExecutionContext.Create({|AGB0007:{{userId}}|}, threadId);
            }
            """);

    [Fact]
    public Task The_message_names_the_call_and_the_source() =>
        new Verifiers.AgentBridgeVerifier<AgentBridge.Analyzers.Tests.Verifiers.Rule.AGB0007, EmptyCodeFixProvider>.Test
        {
            TestCode = """
                using AgentBridge;
                using Microsoft.AspNetCore.Http;

                class Endpoint
                {
                    UserExecutionContext Context(HttpRequest request) => UserExecutionContext.Create(request.Query["u"].ToString(), "t");
                }
                """,
            ExpectedDiagnostics =
            {
                new DiagnosticResult(Descriptors.AGB0007_UserIdFromRequest).WithSpan(6, 86, 6, 115).WithArguments("UserExecutionContext.Create", "the query string"),
            },
        }.RunAsync();

    [Fact]
    public Task A_local_a_try_get_value_and_a_foreach_from_the_request_are_followed() =>
        Verify.VerifyAnalyzerAsync("""
            using System.Threading.Tasks;
            using AgentBridge;
            using Microsoft.AspNetCore.Http;

            class Endpoint
            {
                async Task Run(HttpContext http, WebSocketConnectionManager manager, AgentEvent evt)
                {
                    var fromHeader = http.Request.Headers["X-User"].ToString();
                    var trimmed = fromHeader.Trim();
                    await manager.SendToUserAsync({|AGB0007:trimmed|}, evt);

                    if (http.Request.Query.TryGetValue("user", out var user))
                    {
                        _ = UserExecutionContext.Create({|AGB0007:user.ToString()|}, "thread");
                    }

                    foreach (var each in http.Request.Query["users"])
                    {
                        _ = UserExecutionContext.Create({|AGB0007:each!|}, "thread");
                    }
                }
            }
            """);

    [Fact]
    public Task Parameters_bound_from_the_request_are_reported() =>
        Verify.VerifyAnalyzerAsync("""
            using System.Threading.Tasks;
            using AgentBridge;
            using Microsoft.AspNetCore.Mvc;

            public record StartRequest(string UserId, string ThreadId);

            public class RunsController : ControllerBase
            {
                [HttpPost("runs/{threadId}")]
                public UserExecutionContext Start([FromQuery] string user, string threadId) =>
                    UserExecutionContext.Create({|AGB0007:user|}, threadId);

                [HttpPost("runs")]
                public UserExecutionContext FromBody([FromBody] StartRequest request) =>
                    UserExecutionContext.Create({|AGB0007:request.UserId|}, request.ThreadId);

                [HttpPost("runs/{userId}/{threadId}")]
                public UserExecutionContext Implicit(string userId, string threadId) =>
                    UserExecutionContext.Create({|AGB0007:userId|}, threadId);

                [HttpGet("runs/header")]
                public UserExecutionContext Header([FromHeader(Name = "X-User")] string user) =>
                    UserExecutionContext.Create({|AGB0007:user|}, "thread");
            }
            """);

    [Fact]
    public Task A_minimal_api_route_handler_parameter_is_reported() =>
        Verify.VerifyAnalyzerAsync("""
            using AgentBridge;
            using Microsoft.AspNetCore.Builder;
            using Microsoft.AspNetCore.Routing;

            static class Endpoints
            {
                public static void Map(IEndpointRouteBuilder app, WebSocketConnectionManager manager)
                {
                    app.MapPost("/runs/{userId}", async (string userId) =>
                    {
                        await manager.SendToUserAsync({|AGB0007:userId|}, new AgentEvent(AgentEventTypes.AgentStarted));
                    });
                }
            }
            """, OutputKind.DynamicallyLinkedLibrary);

    [Fact]
    public Task A_hub_method_argument_is_reported() =>
        Verify.VerifyAnalyzerAsync("""
            using AgentBridge;
            using Microsoft.AspNetCore.SignalR;

            public class AgentHub : Hub
            {
                public UserExecutionContext Join(string userId, string threadId) => UserExecutionContext.Create({|AGB0007:userId|}, threadId);
            }
            """);

    [Fact]
    public Task In_lambdas_local_functions_and_top_level_statements_it_is_reported() =>
        Verify.VerifyAnalyzerAsync("""
            using System;
            using AgentBridge;
            using Microsoft.AspNetCore.Http;

            Func<HttpContext, UserExecutionContext> make = http => UserExecutionContext.Create({|AGB0007:http.Request.Query["u"].ToString()|}, "t");
            UserExecutionContext Local(HttpRequest request) => UserExecutionContext.Create({|AGB0007:request.Headers["u"].ToString()|}, "t");
            """, OutputKind.ConsoleApplication);

    [Fact]
    public Task The_authenticated_user_and_values_from_elsewhere_are_not_reported() =>
        Verify.VerifyAnalyzerAsync("""
            using System.Security.Claims;
            using System.Threading.Tasks;
            using AgentBridge;
            using Microsoft.AspNetCore.Http;
            using Microsoft.AspNetCore.Mvc;

            public interface IUserDirectory { string Resolve(string login); }

            public class Service
            {
                public UserExecutionContext FromPrincipal(ClaimsPrincipal user, HttpContext http) =>
                    UserExecutionContext.Create(user.FindFirstValue(ClaimTypes.NameIdentifier)!, http.Request.Query["thread"].ToString());

                public UserExecutionContext FromContext(UserExecutionContext context) => UserExecutionContext.Create(context.UserId, "thread");

                public UserExecutionContext FromPlainParameter(string userId) => UserExecutionContext.Create(userId, "thread");

                public UserExecutionContext Literal() => UserExecutionContext.Create("system", "thread");

                public UserExecutionContext Resolved(IUserDirectory directory, HttpRequest request) =>
                    UserExecutionContext.Create(directory.Resolve(request.Query["login"].ToString()), "thread");
            }

            public class RunsController : ControllerBase
            {
                public UserExecutionContext Start([FromServices] IUserDirectory directory, string threadId) =>
                    UserExecutionContext.Create(User.FindFirstValue(ClaimTypes.NameIdentifier)!, threadId);
            }
            """);

    [Fact]
    public Task Named_arguments_generic_methods_and_partial_classes_are_analyzed() =>
        Verify.VerifyAnalyzerAsync(new[]
        {
            """
            using AgentBridge;
            using Microsoft.AspNetCore.Http;

            partial class Endpoint
            {
                UserExecutionContext Named(HttpRequest request) =>
                    UserExecutionContext.Create(threadId: "t", userId: {|AGB0007:request.Query["u"].ToString()|});
            }
            """,
            """
            using AgentBridge;
            using Microsoft.AspNetCore.Http;

            partial class Endpoint
            {
                T Generic<T>(HttpContext http, System.Func<UserExecutionContext, T> make) =>
                    make(UserExecutionContext.Create({|AGB0007:http.Request.Form["user"].ToString()|}, "t"));
            }
            """,
        });
}
